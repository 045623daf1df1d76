package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.Artifacts;

import java.nio.file.Path;

/**
 * Forked by {@link CudaTrainingTest}: installs the CUDA runtime, trains {@link TinyModel} for two
 * updates on the artifacts in {@code args[0]}, prints the losses (4 micro-batches, then one eval), one per line.
 */
public final class CudaProbe {
    private CudaProbe() {
    }

    public static void main(String[] args) throws Exception {
        NativeRuntime rt = NativeRuntime.install(RuntimeConfig.cuda(0).withThreads(1));
        System.out.println(CudaTrainingTest.steps(rt, Artifacts.open(Path.of(args[0])),
                new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 41).data(4, 8, 42)).stream()
                .map(String::valueOf).reduce((a, b) -> a + "\n" + b).orElse(""));
    }
}
