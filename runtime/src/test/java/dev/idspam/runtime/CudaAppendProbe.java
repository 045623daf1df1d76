package dev.idspam.runtime;

import ai.onnxruntime.OrtSession;

/**
 * Forked by {@link CudaProviderTest} with {@link CudaProvider#JVM_FLAGS}: installs the CPU runtime and
 * asks its core for the CUDA provider, printing {@code appended} or the exception's class and message.
 */
public final class CudaAppendProbe {
    private CudaAppendProbe() {
    }

    public static void main(String[] args) {
        NativeRuntime rt = NativeRuntime.install(RuntimeConfig.cpu().withThreads(1));
        try (OrtSession.SessionOptions so = rt.sessionOptions()) {
            NativeRuntime.appendCuda(so, 0);
            System.out.println("appended");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
