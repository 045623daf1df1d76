package dev.idspam.serving;

import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.SpecialTokens;
import dev.idspam.datasets.tokenize.TextTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tokenizer per distinct tokenizer file in the process, however many bundles use it. Every task
 * served over one backbone carries the same {@code tokenizer.json} (same SHA-256); building it once
 * per bundle would hold N native tokenizers (vocabulary, merges, normaliser) and parse the file N
 * times. Keyed by everything that decides its behaviour: the file's digest, its kind, the
 * special-token style and lowercasing.
 *
 * <p>Each bundle's file is still read and checked against its own recorded digest
 * ({@link TokenizerFiles#readVerified}) before the shared instance is handed out: the key is what
 * the file is, not what the manifest claims. What {@link #open} returns is a handle: closing it
 * returns the bundle's hold, and the tokenizer is closed when the last hold is returned.
 * Thread-safe; a shared tokenizer encodes on several threads at once (both implementations allow it).
 */
public final class SharedTokenizers {
    private record Key(String sha256, TokenizerFiles.Kind kind, String style, boolean lowercase) { }

    private static final class Held {
        final TextTokenizer tokenizer;
        int holds;

        Held(TextTokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }
    }

    private static final Map<Key, Held> OPEN = new HashMap<>();

    private SharedTokenizers() {
    }

    /** How many distinct tokenizers are held now. */
    public static synchronized int held() {
        return OPEN.size();
    }

    /** The tokenizer of a validated reference in {@code manifest}, shared with every other holder of the same file. */
    static TextTokenizer open(TokenizerFiles.Reference ref, Path manifest) throws IOException {
        Key key = new Key(ref.sha256(), ref.kind(), String.valueOf(ref.style()), ref.lowercase());
        synchronized (SharedTokenizers.class) {
            Held h = OPEN.get(key);
            if (h != null) {
                TokenizerFiles.readVerified(ref, manifest); // this bundle's copy must be that file too
                h.holds++;
                return new Handle(key, h.tokenizer);
            }
        }
        TextTokenizer built = TokenizerFiles.open(ref, manifest); // outside the lock: parsing takes a while
        synchronized (SharedTokenizers.class) {
            Held h = OPEN.get(key);
            if (h == null) {
                h = new Held(built);
                OPEN.put(key, h);
            } else {
                built.close(); // another bundle built the same one meanwhile: keep one
            }
            h.holds++;
            return new Handle(key, h.tokenizer);
        }
    }

    private static synchronized void release(Key key) {
        Held h = OPEN.get(key);
        if (h != null && --h.holds == 0) {
            OPEN.remove(key);
            h.tokenizer.close();
        }
    }

    /** One bundle's hold on a shared tokenizer; encoding goes to the shared one until {@link #close}. */
    private static final class Handle implements TextTokenizer {
        private final Key key;
        private final TextTokenizer shared;
        private volatile boolean closed;

        Handle(Key key, TextTokenizer shared) {
            this.key = key;
            this.shared = shared;
        }

        private TextTokenizer live() {
            if (closed) {
                throw new IllegalStateException("the tokenizer is closed");
            }
            return shared;
        }

        @Override
        public Encoding encode(String textA, String textB, int maxLength) {
            return live().encode(textA, textB, maxLength);
        }

        @Override
        public List<Encoding> encodeAll(List<String> textsA, List<String> textsB, int maxLength) {
            return live().encodeAll(textsA, textsB, maxLength);
        }

        @Override
        public SpecialTokens specialTokens() {
            return live().specialTokens();
        }

        @Override
        public int padId() {
            return live().padId();
        }

        @Override
        public int vocabSize() {
            return live().vocabSize();
        }

        @Override
        public String decodeToken(long id) {
            return live().decodeToken(id);
        }

        @Override
        public long tokenId(String token) {
            return live().tokenId(token);
        }

        @Override
        public boolean hasToken(String token) {
            return live().hasToken(token);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key);
            }
        }
    }
}
