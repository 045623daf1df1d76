package dev.idspam.pipeline.run;

import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.runtime.BatchSource;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decides whether a training run uses the prefix cache ({@code --prefix-cache}), builds it, and
 * hands the trainer the sources that carry X_m. One line says what was decided and why
 * ({@link TrainingListener#onNote}).
 *
 * <p>Decision: {@code off} never caches. The artifacts must hold the prefix-cache graphs (written at
 * generation for methods with a frozen prefix, {@link dev.idspam.graphs.methods.Method#frozenPrefixLayers});
 * {@code auto} trains without when they are missing, {@code memory} and {@code disk} refuse. The
 * size is estimated from the masks first (real positions × hidden × 4 bytes, train and dev): over
 * the cap ({@code --prefix-cache-max-mb}), {@code auto} trains without and the others refuse;
 * {@code auto} and {@code memory} also need it to fit in half of the JVM's maximum heap.
 * {@code auto} then keeps it in memory. On CUDA, {@code auto} does not cache: the cached X_m lives in
 * host memory and crosses to the device every step (B × L × n floats, 25 MB for a MiniLM batch of
 * 128 × 128), while the uncached graph sends token ids and recomputes m layers in a few
 * milliseconds. Measured on an H200 (docs/results/benchmark-h200.md), the suffix step from host
 * X_m ran at 0.31–0.62× the whole step on 128-token batches and 0.86–1.08× at SST-2 lengths.
 * Keeping X_m on the device would need device-resident inputs, which ONNX Runtime's Java API does
 * not offer (no I/O binding); {@code memory} or {@code disk} still force the cache there.
 *
 * @param active whether the trainer runs the suffix graphs
 */
record PrefixCacheUse(boolean active, PrefixCache trainCache, PrefixCache devCache) implements AutoCloseable {
    private static final long MIB = 1L << 20;

    static PrefixCacheUse prepare(TrainJob.Spec spec, Artifacts artifacts, ModelInfo model, NativeRuntime runtime,
                                  BatchSource train, BatchSource dev, TrainingListener listener) throws IOException {
        PrefixCache.Mode mode = spec.prefixCache();
        String flag = "--prefix-cache " + mode.option();
        if (mode == PrefixCache.Mode.OFF) {
            return off(listener, "off (" + flag + ")");
        }
        String deviceReason = autoDeclines(runtime.device());
        if (mode == PrefixCache.Mode.AUTO && deviceReason != null) {
            return off(listener, "off: " + deviceReason);
        }
        if (!artifacts.hasPrefixCacheGraphs()) {
            String why = "method " + model.method() + " has no frozen layers below a prompt, or the artifacts were generated"
                    + " before the prefix cache existed (regenerate them)";
            if (mode != PrefixCache.Mode.AUTO) {
                throw new IllegalArgumentException(flag + ": " + artifacts.directory() + " has no prefix-cache graphs: " + why);
            }
            return off(listener, "off: " + why);
        }
        int hidden = model.backbone().hidden();
        long estimate = PrefixCache.estimateBytes(train, TaskData.EXAMPLE_INDEX, hidden)
                + PrefixCache.estimateBytes(dev, TaskData.EXAMPLE_INDEX, hidden);
        long cap = spec.prefixCacheMaxMb() * MIB;
        long heapRoom = Runtime.getRuntime().maxMemory() / 2;
        String size = mb(estimate);
        if (estimate > cap) {
            String why = "the cache would take " + size + ", over the cap of " + mb(cap) + " (--prefix-cache-max-mb)";
            if (mode != PrefixCache.Mode.AUTO) {
                throw new IllegalArgumentException(flag + ": " + why);
            }
            return off(listener, "off: " + why + "; raise the cap or use --prefix-cache disk");
        }
        if (mode != PrefixCache.Mode.DISK && estimate > heapRoom) {
            String why = "the cache would take " + size + ", over half of the JVM's maximum heap (" + mb(heapRoom * 2) + ")";
            if (mode != PrefixCache.Mode.AUTO) {
                throw new IllegalArgumentException(flag + ": " + why + "; use --prefix-cache disk or a larger -Xmx");
            }
            return off(listener, "off: " + why + "; use --prefix-cache disk or a larger -Xmx");
        }
        boolean disk = mode == PrefixCache.Mode.DISK;
        long t0 = System.nanoTime();
        PrefixCache trainCache = null;
        PrefixCache devCache = null;
        try (PrefixCache.Model prefix = PrefixCache.Model.open(runtime, artifacts)) {
            Path dir = artifacts.directory();
            trainCache = prefix.cache(train, TaskData.EXAMPLE_INDEX, disk ? dir.resolve(TrainJob.TRAIN_CACHE_FILE) : null);
            devCache = prefix.cache(dev, TaskData.EXAMPLE_INDEX, disk ? dir.resolve(TrainJob.DEV_CACHE_FILE) : null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(trainCache, e);
            closeQuietly(devCache, e);
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int m = model.methodConfig() != null && model.methodConfig().has("layer") ? model.methodConfig().get("layer").getAsInt() : -1;
        listener.onNote(String.format(Locale.ROOT, "prefix cache: %s, X_%d of %,d training and %,d dev examples, %s"
                        + " (estimated %s), computed once in %.1f s; every epoch runs layers %d and up only",
                disk ? "disk (scratch files in the artifacts folder, removed after the run)" : "memory", m,
                trainCache.size(), devCache.size(), mb(trainCache.bytes() + devCache.bytes()), size, seconds, m));
        return new PrefixCacheUse(true, trainCache, devCache);
    }

    /** Why {@code auto} does not cache on this device, or null when it may (the CPU). */
    static String autoDeclines(Device device) {
        return device == Device.CUDA ? "on CUDA the cached X_m would cross from host to device every step, which costs"
                + " more there than recomputing the frozen layers (--prefix-cache memory forces it)" : null;
    }

    private static PrefixCacheUse off(TrainingListener listener, String line) {
        listener.onNote("prefix cache: " + line);
        return new PrefixCacheUse(false, null, null);
    }

    BatchSource train(BatchSource source) {
        return active ? trainCache.wrap(source, TaskData.EXAMPLE_INDEX) : source;
    }

    BatchSource dev(BatchSource source) {
        return active ? devCache.wrap(source, TaskData.EXAMPLE_INDEX) : source;
    }

    @Override
    public void close() throws IOException {
        try {
            if (trainCache != null) {
                trainCache.close();
            }
        } finally {
            if (devCache != null) {
                devCache.close();
            }
        }
    }

    private static void closeQuietly(PrefixCache c, Exception e) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
