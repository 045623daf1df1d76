package dev.idspam.datasets.tokenize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java BERT tokenizer over a {@code vocab.txt} (one token per line, id = line number - 1).
 *
 * <p>Text goes through BERT basic tokenization (see {@link WordPieceConfig}: cleaning, CJK
 * spacing, optional accent stripping and lower-casing, splitting on whitespace and punctuation),
 * then each word is split greedily into the longest vocabulary pieces from the left, continuation
 * pieces carrying the {@code ##} prefix. A word longer than {@code maxCharsPerWord} characters, or
 * one with no complete split, becomes {@code [UNK]}. Special tokens written literally in the text
 * ({@code [SEP]}, ...) are kept as those tokens, as the HuggingFace tokenizers do.
 *
 * <p>With an uncased vocabulary this gives the same ids as the HuggingFace {@code tokenizer.json}
 * of the same model (verified by a parity test); it needs no native code. Instances are immutable
 * and thread-safe.
 */
public final class WordPieceTokenizer implements TextTokenizer {
    private static final String CONTINUATION = "##";

    private final String[] idToToken;
    private final Map<String, Long> tokenToId;
    private final WordPieceConfig config;
    private final BertBasicTokenizer basic;
    private final List<String> literalSpecials;
    private final long unkId;
    private final SpecialTokens specialTokens;

    private WordPieceTokenizer(List<String> vocabulary, WordPieceConfig config) {
        this.config = config;
        this.idToToken = vocabulary.toArray(new String[0]);
        this.tokenToId = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < idToToken.length; i++) {
            tokenToId.put(idToToken[i], (long) i); // a repeated token keeps its last id, as in BERT
        }
        this.basic = new BertBasicTokenizer(config.lowercase(), config.stripAccents(), config.handleChineseChars());
        this.unkId = require(config.unkToken());
        this.specialTokens = new SpecialTokens(SpecialTokensStyle.BERT, require(config.clsToken()),
                require(config.sepToken()), require(config.padToken()));
        List<String> specials = new ArrayList<>();
        for (String s : List.of(config.unkToken(), config.clsToken(), config.sepToken(), config.padToken(),
                config.maskToken())) {
            if (tokenToId.containsKey(s) && !specials.contains(s)) {
                specials.add(s);
            }
        }
        this.literalSpecials = List.copyOf(specials);
    }

    /** Reads {@code vocab.txt} (UTF-8, one token per line; trailing whitespace is ignored). */
    public static WordPieceTokenizer fromVocabFile(Path vocabTxt, WordPieceConfig config) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (String line : Files.readAllLines(vocabTxt, StandardCharsets.UTF_8)) {
            tokens.add(line.stripTrailing());
        }
        if (tokens.isEmpty()) {
            throw new IOException(vocabTxt + " is empty; expected one vocabulary token per line");
        }
        return fromVocabulary(tokens, config);
    }

    /** Builds the tokenizer from tokens in id order. */
    public static WordPieceTokenizer fromVocabulary(List<String> tokensInIdOrder, WordPieceConfig config) {
        return new WordPieceTokenizer(List.copyOf(tokensInIdOrder), config);
    }

    public WordPieceConfig config() {
        return config;
    }

    @Override
    public Encoding encode(String textA, String textB, int maxLength) {
        long[] a = pieceIds(textA);
        long[] b = textB == null ? null : pieceIds(textB);
        return specialTokens.assemble(a, b, maxLength);
    }

    /** The vocabulary ids of {@code text}, without special tokens around it. */
    public long[] pieceIds(String text) {
        List<Long> ids = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int[] next = nextSpecial(text, start);
            int end = next == null ? text.length() : next[0];
            for (String word : basic.words(text.substring(start, end))) {
                wordPieces(word, ids);
            }
            if (next == null) {
                break;
            }
            String special = literalSpecials.get(next[1]);
            ids.add(tokenToId.get(special));
            start = end + special.length();
        }
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    /** Leftmost (then longest) literal special token at or after {@code from}: {position, index}. */
    private int[] nextSpecial(String text, int from) {
        int bestPos = -1;
        int bestIndex = -1;
        for (int i = 0; i < literalSpecials.size(); i++) {
            String s = literalSpecials.get(i);
            int pos = text.indexOf(s, from);
            if (pos >= 0 && (bestPos < 0 || pos < bestPos
                    || (pos == bestPos && s.length() > literalSpecials.get(bestIndex).length()))) {
                bestPos = pos;
                bestIndex = i;
            }
        }
        return bestPos < 0 ? null : new int[] {bestPos, bestIndex};
    }

    private void wordPieces(String word, List<Long> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > config.maxCharsPerWord()) {
            out.add(unkId);
            return;
        }
        List<Long> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int end = cps.length;
            Long found = null;
            while (start < end) {
                String piece = new String(cps, start, end - start);
                found = tokenToId.get(start > 0 ? CONTINUATION + piece : piece);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                out.add(unkId);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private long require(String token) {
        Long id = tokenToId.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the vocabulary has no " + token + " token; WordPieceTokenizer "
                    + "needs the tokens named in its WordPieceConfig");
        }
        return id;
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    @Override
    public int vocabSize() {
        return idToToken.length;
    }

    @Override
    public String decodeToken(long id) {
        if (id < 0 || id >= idToToken.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                    + idToToken.length + ")");
        }
        return idToToken[(int) id];
    }

    @Override
    public long tokenId(String token) {
        Long id = tokenToId.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    @Override
    public boolean hasToken(String token) {
        return tokenToId.containsKey(token);
    }
}
