package dev.idspam.datasets.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextTokenizer} over a HuggingFace {@code tokenizer.json}, splitting text with the
 * native HuggingFace tokenizers library (through DJL).
 *
 * <p>The native tokenizer is configured to add no special tokens, truncate nothing and pad
 * nothing, whatever the file says; framing and longest-first truncation are done by
 * {@link SpecialTokens#assemble}, exactly as for {@link WordPieceTokenizer}. The framing style and
 * special ids come from the file's {@code post_processor} unless a style is given.
 *
 * <p>Encoding may run on several threads at once. The tokenizer owns a native handle: close it
 * (idempotent) once no thread uses it any more; any use afterwards throws
 * {@code IllegalStateException("HfTokenizer is closed")}.
 */
public final class HfTokenizer implements TextTokenizer {
    private static final Map<String, String> RAW = Map.of(
            "addSpecialTokens", "false", "padding", "false", "truncation", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerJson json;
    private volatile boolean closed;

    /**
     * DJL picks a CUDA build of its tokenizer library when it sees a GPU, and that build is not in the
     * jar: it would be downloaded, which fails offline. Tokenizing runs on the CPU either way, so the
     * bundled CPU library is used unless {@code RUST_FLAVOR} is set explicitly.
     */
    static void preferBundledCpuLibrary() {
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
    }

    private HfTokenizer(byte[] bytes, String source, SpecialTokensStyle style) throws IOException {
        preferBundledCpuLibrary();
        this.json = TokenizerJson.parse(new String(bytes, StandardCharsets.UTF_8), source, style);
        this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), RAW);
    }

    /** Loads a {@code tokenizer.json}, deriving the framing from its post-processor. */
    public static HfTokenizer fromFile(Path tokenizerJson) throws IOException {
        return new HfTokenizer(Files.readAllBytes(tokenizerJson), tokenizerJson.toString(), null);
    }

    /** Loads a {@code tokenizer.json} with an explicit framing style. */
    public static HfTokenizer fromFile(Path tokenizerJson, SpecialTokensStyle style) throws IOException {
        return new HfTokenizer(Files.readAllBytes(tokenizerJson), tokenizerJson.toString(), style);
    }

    /** Reads a {@code tokenizer.json} from a stream (not closed), deriving the framing. */
    public static HfTokenizer fromStream(InputStream tokenizerJson, String sourceName) throws IOException {
        return new HfTokenizer(tokenizerJson.readAllBytes(), sourceName, null);
    }

    /** Reads a {@code tokenizer.json} from a stream (not closed) with an explicit framing style. */
    public static HfTokenizer fromStream(InputStream tokenizerJson, String sourceName, SpecialTokensStyle style)
            throws IOException {
        return new HfTokenizer(tokenizerJson.readAllBytes(), sourceName, style);
    }

    @Override
    public Encoding encode(String textA, String textB, int maxLength) {
        checkOpen();
        long[] a = tokenizer.encode(textA, false, false).getIds();
        long[] b = textB == null ? null : tokenizer.encode(textB, false, false).getIds();
        return json.specialTokens.assemble(a, b, maxLength);
    }

    /** Encodes all texts in two native batch calls (first segments, then second segments). */
    @Override
    public List<Encoding> encodeAll(List<String> textsA, List<String> textsB, int maxLength) {
        checkOpen();
        if (textsB != null && textsB.size() != textsA.size()) {
            throw new IllegalArgumentException("got " + textsA.size() + " first segments but "
                    + textsB.size() + " second segments");
        }
        var first = tokenizer.batchEncode(textsA, false, false);
        long[][] second = new long[textsA.size()][];
        if (textsB != null) {
            List<String> present = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < textsB.size(); i++) {
                if (textsB.get(i) != null) {
                    present.add(textsB.get(i));
                    where.add(i);
                }
            }
            if (!present.isEmpty()) {
                var encoded = tokenizer.batchEncode(present, false, false);
                for (int k = 0; k < encoded.length; k++) {
                    second[where.get(k)] = encoded[k].getIds();
                }
            }
        }
        List<Encoding> out = new ArrayList<>(textsA.size());
        for (int i = 0; i < textsA.size(); i++) {
            out.add(json.specialTokens.assemble(first[i].getIds(), second[i], maxLength));
        }
        return out;
    }

    /** The vocabulary ids of {@code text}, without special tokens around it. */
    public long[] pieceIds(String text) {
        checkOpen();
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public SpecialTokens specialTokens() {
        checkOpen();
        return json.specialTokens;
    }

    @Override
    public int vocabSize() {
        checkOpen();
        return json.idToToken.length;
    }

    @Override
    public String decodeToken(long id) {
        checkOpen();
        if (id < 0 || id >= json.idToToken.length || json.idToToken[(int) id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary");
        }
        return json.idToToken[(int) id];
    }

    @Override
    public long tokenId(String token) {
        checkOpen();
        Long id = json.tokenToId.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    @Override
    public boolean hasToken(String token) {
        checkOpen();
        return json.tokenToId.containsKey(token);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("HfTokenizer is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }
}
