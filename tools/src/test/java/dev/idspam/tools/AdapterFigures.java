package dev.idspam.tools;

import ai.onnxruntime.OrtSession;
import dev.idspam.serving.Predictor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Prints the figures of an adapter bundle against the full bundle of the same checkpoint: sizes on
 * disk, logit parity on a dev set, and the resident memory of one process holding 1 or 4 adapters
 * (or full bundles) of that backbone, each measured in a fresh JVM.
 *
 * <pre>
 * java -cp CLASSPATH dev.idspam.tools.AdapterFigures FULL_BUNDLE ADAPTER_BUNDLE DEV_TSV
 * </pre>
 * DEV_TSV: {@code sentence<TAB>label} with a header line (SST-2's dev.tsv). Run from
 * {@code tools/}, the classpath is {@code target/test-classes:target/classes:} followed by
 * {@code target/classpath-cpu.txt}'s content (written by {@code ./idspam}).
 */
public final class AdapterFigures {
    private static final int BATCH = 32;

    private AdapterFigures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--memory")) {
            memoryChild(args[1], List.of(args).subList(2, args.length));
            return;
        }
        Path full = Path.of(args[0]);
        Path adapter = Path.of(args[1]);
        List<String> dev = sentences(Path.of(args[2]));
        Path weights = weightsFile(adapter);
        System.out.printf(Locale.ROOT, "full bundle:    %,d bytes (%s)%n", folderBytes(full), full);
        System.out.printf(Locale.ROOT, "adapter bundle: %,d bytes (%s), model.onnx %,d bytes%n", folderBytes(adapter), adapter,
                Files.size(adapter.resolve("model.onnx")));
        System.out.printf(Locale.ROOT, "backbone weights file (shared): %,d bytes (%s)%n", Files.size(weights), weights);
        parity(full, adapter, dev);

        Path tmp = Files.createTempDirectory("adapter-figures");
        Path models = tmp.resolve("models");
        Files.createDirectories(models.resolve("backbones"));
        Files.createSymbolicLink(models.resolve("backbones").resolve(weights.getFileName()), weights.toAbsolutePath());
        // the shared prefix graphs of adapters cut at their injection layer live beside the weights file
        try (Stream<Path> s = Files.list(weights.getParent())) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("prefix-")).toList()) {
                Files.copy(f, models.resolve("backbones").resolve(f.getFileName()));
            }
        }
        List<String> adapters = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            Path dir = models.resolve(name);
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(adapter)) {
                for (Path f : s.filter(Files::isRegularFile).filter(f -> !f.getFileName().equals(weights.getFileName())).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            adapters.add(dir.toString());
        }
        for (String prepack : System.getProperty("modes", "default").split(",")) {
            long a1 = childRss(prepack, adapters.subList(0, 1));
            long a4 = childRss(prepack, adapters);
            long f1 = childRss(prepack, List.of(full.toString()));
            long f4 = childRss(prepack, List.of(full.toString(), full.toString(), full.toString(), full.toString()));
            System.out.printf(Locale.ROOT, "resident memory, %s: 1 adapter %,d KiB, 4 adapters %,d KiB (%.2fx); "
                    + "1 full bundle %,d KiB, 4 full bundles %,d KiB (%.2fx)%n", prepack, a1, a4, (double) a4 / a1, f1, f4,
                    (double) f4 / f1);
        }
    }

    private static void parity(Path full, Path adapter, List<String> dev) throws Exception {
        double maxDiff = 0;
        int sameLabel = 0;
        long tFull = 0;
        long tAdapter = 0;
        String mode = System.getProperty("parity-mode", "default");
        try (OrtSession.SessionOptions o = options(mode); Predictor pf = Predictor.open(full, o);
             OrtSession.SessionOptions o2 = options(mode);
             Predictor pa = mode.equals("default") ? Predictor.open(adapter) : Predictor.open(adapter, o2)) {
            for (int i = 0; i < dev.size(); i += BATCH) {
                List<String> batch = dev.subList(i, Math.min(dev.size(), i + BATCH));
                long t0 = System.nanoTime();
                List<Predictor.Prediction> a = pf.predictAll(batch, null);
                long t1 = System.nanoTime();
                List<Predictor.Prediction> b = pa.predictAll(batch, null);
                tFull += t1 - t0;
                tAdapter += System.nanoTime() - t1;
                for (int k = 0; k < batch.size(); k++) {
                    float[] x = a.get(k).logits();
                    float[] y = b.get(k).logits();
                    for (int j = 0; j < x.length; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(x[j] - y[j]));
                    }
                    sameLabel += a.get(k).label().equals(b.get(k).label()) ? 1 : 0;
                }
            }
        }
        System.out.printf(Locale.ROOT, "parity on %d sentences: max |logit difference| %.3g, identical labels %d/%d;"
                + " time %.2f s full, %.2f s adapter%n", dev.size(), maxDiff, sameLabel, dev.size(), tFull / 1e9, tAdapter / 1e9);
    }

    private static OrtSession.SessionOptions options(String mode) throws ai.onnxruntime.OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        if (mode.contains("no-prepack")) {
            o.addConfigEntry("session.disable_prepacking", "1");
        }
        if (mode.contains("no-arena")) {
            o.setCPUArenaAllocator(false);
        }
        return o;
    }

    /** Opens every bundle in {@code dirs} in this JVM, predicts a batch on each, and prints the resident set size. */
    private static void memoryChild(String mode, List<String> dirs) throws Exception {
        List<Predictor> open = new ArrayList<>();
        List<OrtSession.SessionOptions> options = new ArrayList<>();
        List<String> batch = List.of("a fun film .", "the plot is thin and the acting is even thinner .",
                "it never quite decides what it wants to be , but the ride is fun .", "dull");
        if (mode.contains("global-threads")) {
            ai.onnxruntime.OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "figures",
                    new ai.onnxruntime.OrtEnvironment.ThreadingOptions());
        }
        for (String d : dirs) {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            if (mode.contains("global-threads")) {
                o.disablePerSessionThreads();
            }
            if (mode.contains("no-prepack")) {
                o.addConfigEntry("session.disable_prepacking", "1");
            }
            if (mode.contains("no-arena")) {
                o.setCPUArenaAllocator(false);
            }
            if (mode.contains("basic")) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            }
            options.add(o);
            Predictor p = mode.equals("default") ? Predictor.open(Path.of(d)) : Predictor.open(Path.of(d), o);
            p.predictAll(batch, null);
            open.add(p);
        }
        for (Predictor p : open) {
            p.predictAll(batch, null);
        }
        System.gc();
        Thread.sleep(200);
        String status = Files.readString(Path.of("/proc/self/status"));
        String rss = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        System.out.println("rss_kb " + rss.replaceAll("\\D", ""));
        for (Predictor p : open) {
            p.close();
        }
        options.forEach(OrtSession.SessionOptions::close);
    }

    private static long childRss(String prepack, List<String> dirs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), AdapterFigures.class.getName(), "--memory", prepack));
        cmd.addAll(dirs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("memory child failed: " + out);
        }
        return out.lines().filter(l -> l.startsWith("rss_kb ")).mapToLong(l -> Long.parseLong(l.substring(7))).findFirst()
                .orElseThrow(() -> new IllegalStateException("memory child printed no figure: " + out));
    }

    private static List<String> sentences(Path tsv) throws IOException {
        return Files.readAllLines(tsv).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf('\t')).strip())
                .toList();
    }

    private static Path weightsFile(Path adapter) throws IOException {
        String json = Files.readString(adapter.resolve("bundle.json"));
        String file = com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("backbone_weights")
                .get("file").getAsString();
        Path beside = adapter.resolve(file);
        return Files.exists(beside) ? beside : adapter.toAbsolutePath().normalize().getParent().resolve("backbones").resolve(file);
    }

    private static long folderBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            long sum = 0;
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }
}
