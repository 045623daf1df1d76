package dev.idspam.pipeline.run;

import dev.idspam.runtime.Device;
import dev.idspam.runtime.RuntimeConfig;

/**
 * How the ONNX Runtime of this process runs: device, intra-op threads.
 */
public record RunSettings(Device device, int threads) {
    public RunSettings {
        if (device == null) {
            throw new IllegalArgumentException("device is required");
        }
        OptionRanges.check(threads, 1, OptionRanges.MAX_THREADS, "threads", "threads");
    }

    public static RunSettings cpu() {
        return new RunSettings(Device.CPU, Runtime.getRuntime().availableProcessors());
    }

    /** How run records name the device: {@code cpu} or {@code cuda:0}. */
    public String deviceLabel() {
        return device == Device.CUDA ? "cuda:" + runtimeConfig().cudaDeviceId() : "cpu";
    }

    public RuntimeConfig runtimeConfig() {
        RuntimeConfig base = device == Device.CUDA ? RuntimeConfig.cuda(0) : RuntimeConfig.cpu();
        return base.withThreads(threads);
    }
}
