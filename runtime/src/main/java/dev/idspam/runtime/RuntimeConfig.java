package dev.idspam.runtime;

/**
 * Process-wide ONNX Runtime settings, fixed by {@link NativeRuntime#install}: the device, and one
 * global intra-op thread pool shared by every session (training, eval, inference), so idle pools
 * of alternating sessions do not spin against each other (BACKWARD-PERFORMANCE.md, pitfall 2).
 *
 * @param intraOpThreads threads of the global intra-op pool (>= 1)
 * @param allowSpinning  whether idle pool threads spin before sleeping (ORT's default is true; turn
 *                       it off when the cores are shared with other work)
 * @param optimization   graph optimisation level; EXTENDED or ALL give training graphs ORT's
 *                       {@code FusedMatMul} fusions (NONE/BASIC cost 7–16% on a BERT layer)
 * @param cudaDeviceId   CUDA device ordinal, used only with {@link Device#CUDA}
 */
public record RuntimeConfig(Device device, int intraOpThreads, boolean allowSpinning, GraphOptimization optimization,
                            int cudaDeviceId) {
    /** ONNX Runtime graph optimisation levels (kept separate from ORT's enum so this class loads no native code). */
    public enum GraphOptimization {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }

    public RuntimeConfig {
        if (device == null) {
            throw new IllegalArgumentException("device is required");
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
        if (optimization == null) {
            throw new IllegalArgumentException("optimization level is required");
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
        }
    }

    /** CPU with one intra-op thread per available processor, spinning allowed, optimisation ALL. */
    public static RuntimeConfig cpu() {
        return new RuntimeConfig(Device.CPU, Runtime.getRuntime().availableProcessors(), true, GraphOptimization.ALL, 0);
    }

    /** CUDA device {@code deviceId}; the CPU pool still runs host-side work. */
    public static RuntimeConfig cuda(int deviceId) {
        return new RuntimeConfig(Device.CUDA, Runtime.getRuntime().availableProcessors(), true, GraphOptimization.ALL,
                deviceId);
    }

    public RuntimeConfig withThreads(int threads) {
        return new RuntimeConfig(device, threads, allowSpinning, optimization, cudaDeviceId);
    }

    public RuntimeConfig withSpinning(boolean spinning) {
        return new RuntimeConfig(device, intraOpThreads, spinning, optimization, cudaDeviceId);
    }

    public RuntimeConfig withOptimization(GraphOptimization level) {
        return new RuntimeConfig(device, intraOpThreads, allowSpinning, level, cudaDeviceId);
    }
}
