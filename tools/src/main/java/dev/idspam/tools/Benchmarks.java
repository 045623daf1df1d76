package dev.idspam.tools;

import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.pipeline.bench.TrainingBenchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code idspam benchmark}: prints throughput per method and workload, the target ratios, and peak memory. */
final class Benchmarks {
    private Benchmarks() {
    }

    /**
     * The benchmark's settings from its options (every option read, the rest refused).
     * {@code --dump-batches DIR} writes the timed batches to DIR for the PyTorch peer of
     * {@code bench/pytorch-peer.sh}, which times itself on exactly these batches.
     */
    static TrainingBenchmark.Spec spec(Args a) {
        String backbone = a.get("backbone");
        int layer = a.getInt("layer");
        List<MethodSpec> methods = new ArrayList<>();
        for (String id : a.get("methods").split(",")) {
            methods.add(MethodSpec.defaults(id.trim()).withLayer(layer));
        }
        TrainingBenchmark.Spec spec = new TrainingBenchmark.Spec(backbone, methods, a.getInt("batch-size"),
                a.getInt("seq-len"), a.getInt("warmup"), a.getInt("repetitions"),
                a.flag("no-data") ? null : Main.dataDirs(a), Path.of(a.get("work")),
                a.has("dump-batches") ? a.path("dump-batches") : null, Main.runSettings(a), a.flag("every-row"));
        a.finish();
        return spec;
    }

    static int run(Args a) throws Exception {
        TrainingBenchmark.Spec spec = spec(a);
        TrainingBenchmark.Outcome outcome = TrainingBenchmark.run(spec, Main.verbosity() == Cli.Verbosity.QUIET
                ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.err);
        List<TrainingBenchmark.Row> rows = outcome.rows();
        System.out.printf(Locale.ROOT, "%-16s %-40s %12s %12s%n", "workload", "what", "samples/s", "ms/batch");
        for (TrainingBenchmark.Row r : rows) {
            System.out.printf(Locale.ROOT, "%-16s %-40s %12.1f %12.1f%n", r.workload(), r.what(), r.samplesPerSecond(),
                    r.msPerBatch());
        }
        Map<String, List<TrainingBenchmark.Row>> byWorkload = rows.stream()
                .collect(Collectors.groupingBy(TrainingBenchmark.Row::workload, java.util.LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<TrainingBenchmark.Row>> w : byWorkload.entrySet()) {
            Map<String, Double> s = w.getValue().stream().collect(Collectors.toMap(TrainingBenchmark.Row::what,
                    TrainingBenchmark.Row::samplesPerSecond));
            Function<String, Double> get = k -> s.getOrDefault(k, Double.NaN);
            double idspam = get.apply("train idspam");
            double base = get.apply("inference backbone (original ONNX)");
            System.out.printf(Locale.ROOT, "%n%s ratios (target):%n", w.getKey());
            ratio("ID-SPAM training / backbone inference", idspam / base, 0.55);
            ratio("ID-SPAM training / full fine-tuning", idspam / get.apply("train full"), 1.8);
            ratio("ID-SPAM training / LoRA", idspam / get.apply("train lora"), 1.3);
            // the targets for float32 exports: 1.1x the original model on full-length rows, 0.85x at SST-2 lengths
            double exportTarget = w.getKey().startsWith("fixed") ? 1.1 : 0.85;
            ratio("exported ID-SPAM inference / backbone inference", get.apply("inference exported idspam") / base, exportTarget);
            ratio("ID-SPAM training with prefix cache / without", get.apply("train idspam (prefix cache)") / idspam, 1.4);
            ratio("exported ID-SPAM inference, fused / backbone inference", get.apply("inference exported idspam (fused)") / base,
                    exportTarget);
            ratio("exported ID-SPAM inference, int8 / backbone inference", get.apply("inference exported idspam (int8)") / base,
                    1.1);
            String every = TrainingBenchmark.EVERY_ROW;
            ratio("ID-SPAM training, one-row last layer / every row", idspam / get.apply("train idspam" + every), 1.0);
            ratio("  the same with the prefix cache", get.apply("train idspam (prefix cache)")
                    / get.apply("train idspam" + every + " (prefix cache)"), 1.0);
            ratio("prefix cache / without, both every row", get.apply("train idspam" + every + " (prefix cache)")
                    / get.apply("train idspam" + every), 1.4);
            ratio("exported inference, one-row last layer / every row", get.apply("inference exported idspam")
                    / get.apply("inference exported idspam (every-row)"), 1.0);
        }
        if (outcome.idspamTrainingPeakRssBytes() > 0) {
            double gb = outcome.idspamTrainingPeakRssBytes() / 1e9;
            System.out.printf(Locale.ROOT, "%npeak resident memory while ID-SPAM trained at %dx%d (no other session open,"
                    + " peak reset after generation): %.2f GB  (<= 3.00) %s%n", spec.batchSize(), spec.seqLen(), gb,
                    gb <= 3.0 ? "met" : "MISSED");
        }
        long peak = TrainingBenchmark.peakRssBytes();
        System.out.printf(Locale.ROOT, "peak resident memory of this process (all sessions above open in turn): %.2f GB%n",
                peak / 1e9);
        return 0;
    }

    private static void ratio(String name, double value, double target) {
        if (Double.isNaN(value)) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %-50s %6.2f  (>= %.2f) %s%n", name, value, target, value >= target ? "met" : "MISSED");
    }
}
