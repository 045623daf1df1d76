package dev.idspam.serving;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per shared prefix graph in the process ({@link SharedPrefix}), used by
 * every adapter over it: the prefix is the same computation for all of them, so each adapter holds
 * only its suffix session. Keyed by the prefix graph's and the weights file's digests. The first
 * adapter's session options (threads, prepacking) open it; later ones share it as it is.
 *
 * <p>Lifetime: each adapter holds a {@link Hold}; the session, and its own lease on the backbone
 * weights (the tensors it runs on), are freed when the last hold is closed, which an adapter does
 * only after its last run. Thread-safe (one lock for acquire and release; ONNX Runtime allows
 * concurrent runs of one session).
 */
final class PrefixSessions {
    private static final Map<String, Shared> OPEN = new HashMap<>();

    private PrefixSessions() {
    }

    private static final class Shared {
        final String key;
        final OrtSession session;
        final BackboneWeightsStore.Lease weights;
        int holds;

        Shared(String key, OrtSession session, BackboneWeightsStore.Lease weights) {
            this.key = key;
            this.session = session;
            this.weights = weights;
        }
    }

    /** One adapter's use of a shared prefix session; {@link #close} after its last run. */
    static final class Hold implements AutoCloseable {
        private final Shared shared;
        private boolean closed;

        private Hold(Shared shared) {
            this.shared = shared;
        }

        OrtSession session() {
            return shared.session;
        }

        @Override
        public void close() {
            synchronized (OPEN) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--shared.holds == 0) {
                    OPEN.remove(shared.key);
                    try {
                        shared.session.close();
                    } catch (OrtException e) {
                        throw new InferenceException("closing the shared prefix session", e);
                    } finally {
                        shared.weights.close();
                    }
                }
            }
        }
    }

    /** How many prefix sessions are open in the process. */
    static int open() {
        synchronized (OPEN) {
            return OPEN.size();
        }
    }

    /**
     * The session of {@code prefixFile} (digest {@code prefixSha256}, checked by the caller) over the
     * weights file {@code weightsFile}, opened now with {@code options} (which already carry the
     * backbone tensors as initializers) unless already open.
     */
    static Hold acquire(OrtEnvironment env, Path prefixFile, String prefixSha256, Path weightsFile, String weightsSha256,
                        OrtSession.SessionOptions options) throws IOException, OrtException {
        String key = prefixSha256 + "|" + weightsSha256;
        synchronized (OPEN) {
            Shared s = OPEN.get(key);
            if (s == null) {
                BackboneWeightsStore.Lease lease = BackboneWeightsStore.shared().acquire(weightsFile, weightsSha256);
                try {
                    s = new Shared(key, env.createSession(prefixFile.toString(), options), lease);
                } catch (OrtException | RuntimeException e) {
                    lease.close();
                    throw e;
                }
                OPEN.put(key, s);
            }
            s.holds++;
            return new Hold(s);
        }
    }
}
