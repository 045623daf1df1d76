package dev.idspam.datasets.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one or two text segments into token ids with special tokens, truncated longest-first to a
 * maximum length. Implementations differ only in how they split text into vocabulary ids; framing
 * and truncation are shared through {@link SpecialTokens#assemble}.
 *
 * <p>Implementations that hold native resources release them in {@link #close()}.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * Encodes one example.
     *
     * @param textA     first segment
     * @param textB     second segment, or null for single-segment input
     * @param maxLength the most tokens the result may have, special tokens included
     */
    Encoding encode(String textA, String textB, int maxLength);

    /**
     * Encodes many examples; the result is identical to calling {@link #encode} on each, but an
     * implementation may batch the work.
     *
     * @param textsB null, or a list as long as {@code textsA} whose entries may be null
     */
    default List<Encoding> encodeAll(List<String> textsA, List<String> textsB, int maxLength) {
        if (textsB != null && textsB.size() != textsA.size()) {
            throw new IllegalArgumentException("got " + textsA.size() + " first segments but "
                    + textsB.size() + " second segments");
        }
        List<Encoding> out = new ArrayList<>(textsA.size());
        for (int i = 0; i < textsA.size(); i++) {
            out.add(encode(textsA.get(i), textsB == null ? null : textsB.get(i), maxLength));
        }
        return out;
    }

    /** The special tokens and framing style. */
    SpecialTokens specialTokens();

    /** Id of the padding token. */
    default int padId() {
        return Math.toIntExact(specialTokens().padId());
    }

    /** One more than the largest token id. */
    int vocabSize();

    /**
     * The vocabulary entry of an id ({@code "##ing"}, {@code "[CLS]"}).
     *
     * @throws IllegalArgumentException if no token has this id
     */
    String decodeToken(long id);

    /**
     * The id of a vocabulary entry.
     *
     * @throws IllegalArgumentException if the vocabulary has no such token
     */
    long tokenId(String token);

    /** Whether the vocabulary has this exact entry. */
    boolean hasToken(String token);

    @Override
    default void close() {
    }
}
