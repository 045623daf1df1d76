package dev.idspam.tools;

import com.google.gson.JsonObject;
import dev.idspam.datasets.locate.DataLocator;
import dev.idspam.datasets.locate.DownloadProgress;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.MavenJarFetcher;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.Generate;
import dev.idspam.pipeline.run.ParameterReport;
import dev.idspam.pipeline.run.RunReport;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.Predictor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code idspam} command line: runs the command {@link Cli} parsed and maps errors to exit statuses. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        // an error in another thread (a library's worker) gets one line, as errors of the command do
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println("idspam: " + (causedBy(e, OutOfMemoryError.class) ? OUT_OF_MEMORY
                    : "thread " + thread.getName() + " failed: " + describe(e)));
            if (System.getenv("IDSPAM_DEBUG") != null) {
                e.printStackTrace();
            }
        });
        System.exit(execute(argv));
    }

    static final String OUT_OF_MEMORY = "out of memory (Java heap or native); give the JVM more with"
            + " IDSPAM_JAVA_OPTS=-Xmx16g, or lower --batch-size or --max-length";

    /**
     * Runs one command line in this process and returns its exit status instead of exiting: what
     * {@link #main} does, for tests and embedding. Errors are printed to {@code System.err} as one
     * message without a stack trace ({@code IDSPAM_DEBUG=1} adds the trace).
     */
    public static int execute(String... argv) {
        String command = null;
        verbosity = Cli.Verbosity.NORMAL;
        try {
            if (argv.length == 0 || argv[0].equals("help")) {
                System.out.print(Cli.commandLine().getUsageMessage());
                return EXIT_OK;
            }
            Cli.Parsed p = Cli.parse(argv);
            if (p.version()) {
                System.out.println(p.target().getCommandSpec().root().version()[0]);
                return EXIT_OK;
            }
            if (p.help() || p.command() == null) {
                System.out.print(p.target().getUsageMessage());
                return EXIT_OK;
            }
            command = p.command().name();
            verbosity = p.verbosity();
            showDownloads(verbosity != Cli.Verbosity.QUIET);
            return run(p.command().name(), p.args());
        } catch (Args.UsageException e) {
            // the message starts with the command it is about ("train: ..."), when there is one
            String about = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : "";
            boolean known = Cli.commands().stream().anyMatch(c -> c.name().equals(about));
            System.err.println("idspam " + e.getMessage());
            System.err.println("run `idspam " + (known ? about + " " : "") + "--help` for usage");
            return EXIT_BAD_INPUT;
        } catch (Exception | Error e) {
            // an OutOfMemoryError may also arrive wrapped (from a worker thread, through a future)
            System.err.println("idspam " + (command == null ? "" : command + ": ") + (causedBy(e, OutOfMemoryError.class) ? OUT_OF_MEMORY : describe(e)));
            if (System.getenv("IDSPAM_DEBUG") != null) {
                e.printStackTrace();
            }
            return exitStatus(e);
        }
    }

    /** Exit status: everything went through. */
    public static final int EXIT_OK = 0;
    /** Exit status: the command ran, and a check it makes failed (or an unexpected internal error). */
    public static final int EXIT_FAILED = 1;
    /** Exit status: bad usage or bad input (options, data files, artifacts, bundles). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status: the environment cannot run the command (no GPU, out of memory, native library). */
    public static final int EXIT_ENVIRONMENT = 3;

    /** Maps an error to the documented exit status; the one place that decides it. */
    static int exitStatus(Throwable e) {
        if (causedBy(e, dev.idspam.runtime.DeviceUnavailableException.class) || causedBy(e, OutOfMemoryError.class)) {
            return EXIT_ENVIRONMENT;
        }
        if (e instanceof Args.UsageException || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof dev.idspam.datasets.read.DatasetFormatException
                || e instanceof dev.idspam.eval.store.StoreFormatException || e instanceof com.google.gson.JsonParseException) {
            return EXIT_BAD_INPUT;
        }
        return EXIT_FAILED;
    }

    /** Whether {@code e} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Causes shown under the message; the stack trace is for {@code IDSPAM_DEBUG=1}. */
    private static final int MAX_CAUSES = 2;
    /** A Java type name with the colon a {@code toString()} puts after it, as wrapped exceptions write into messages. */
    private static final java.util.regex.Pattern TYPE_PREFIX =
            java.util.regex.Pattern.compile("\\b(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

    /** What the JSON library says about text it will not parse, in the terms of its own API. */
    private static final String GSON_STRICTNESS_HINT = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";

    /**
     * The error as users read it: its message, then at most {@value #MAX_CAUSES} causes that add
     * something, one line each, without Java type names or library help links.
     */
    static String describe(Throwable e) {
        String first = clean(e.getMessage());
        StringBuilder sb = new StringBuilder(first.isEmpty()
                ? "unexpected internal error; run with IDSPAM_DEBUG=1 for the stack trace" : first);
        int causes = 0;
        Throwable c = e.getCause();
        while (c != null && c != e && causes < MAX_CAUSES) {
            String m = clean(c.getMessage()).replaceAll("\\s*\\n\\s*", "; ");
            if (!m.isEmpty() && !sb.toString().contains(m)) {
                sb.append("\n  caused by: ").append(m);
                causes++;
            }
            e = c;
            c = c.getCause();
        }
        return sb.toString();
    }

    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        String m = TYPE_PREFIX.matcher(message).replaceAll("").replace(GSON_STRICTNESS_HINT, "malformed JSON");
        return m.lines().filter(l -> !l.startsWith("See https://github.com/google/gson")).collect(
                java.util.stream.Collectors.joining("\n")).strip();
    }

    /** The output this run asks for ({@code --quiet}, {@code --verbose}). */
    private static Cli.Verbosity verbosity = Cli.Verbosity.NORMAL;

    static Cli.Verbosity verbosity() {
        return verbosity;
    }

    /** Progress and detail lines: printed unless {@code --quiet}. */
    static void progress(String line) {
        if (verbosity != Cli.Verbosity.QUIET) {
            System.out.println(line);
        }
    }

    /** Extra detail: printed with {@code --verbose} only (to standard error, beside the progress). */
    static void detail(String line) {
        if (verbosity == Cli.Verbosity.VERBOSE) {
            System.err.println(line);
        }
    }

    /** Draws the downloads of catalog jars and data archives on standard error, or none ({@code --quiet}). */
    private static void showDownloads(boolean show) {
        BackboneCatalog.downloadProgress(show ? DownloadBar.stderr("done, checksum verified") : MavenJarFetcher.Progress.NONE);
        DataLocator.downloadProgress(show ? DownloadBar.stderr("done") : DownloadProgress.NONE);
    }

    /** Training progress on standard error, or none with {@code --quiet}. */
    static dev.idspam.runtime.TrainingListener trainingListener() {
        return verbosity == Cli.Verbosity.QUIET ? dev.idspam.runtime.TrainingListener.NONE : TrainingProgress.withBars();
    }

    /** Runs one parsed command. */
    static int run(String command, Args a) throws Exception {
        return switch (command) {
            case "generate" -> generate(a);
            case "train" -> train(a);
            case "eval" -> evaluate(a);
            case "diagnose" -> diagnose(a);
            case "ci-eval" -> ciEval(a);
            case "export" -> export(a);
            case "predict" -> predict(a);
            case "params" -> params(a);
            case "demo" -> Demo.run(a);
            case "benchmark" -> Benchmarks.run(a);
            case "experiment" -> Experiments.run(a);
            case "report" -> Experiments.report(a);
            case "select-layer" -> Experiments.selectLayer(a);
            case "completion" -> completion(a);
            case "serve" -> Serve.run(a);
            case "spark-score" -> sparkScore(a);
            default -> throw new Args.UsageException("unknown command '" + command + "'");
        };
    }

    private static int completion(Args a) {
        a.finish();
        System.out.print(picocli.AutoComplete.bash(Cli.PROGRAM, Cli.commandLine()));
        return EXIT_OK;
    }

    /**
     * The method of {@code --method} (the registry's reference method by default) with the options
     * its provider declares; an option of another method is refused, naming it.
     */
    static MethodSpec methodSpec(Args a) {
        String id = a.get("method");
        if (!MethodRegistry.contains(id)) {
            throw new Args.UsageException(a.command() + ": --method must be one of " + MethodRegistry.ids() + ", got '" + id + "'");
        }
        MethodProvider<?> p = MethodRegistry.get(id);
        for (MethodOption o : MethodRegistry.allOptions()) {
            if (!p.options().contains(o) && a.has(o.name())) {
                throw new Args.UsageException(a.command() + ": --" + o.name() + " does not apply to method " + id
                        + MethodSpec.describeOptions(p));
            }
        }
        Map<String, Number> values = new java.util.LinkedHashMap<>();
        for (MethodOption o : p.options()) {
            if (a.has(o.name())) {
                values.put(o.name(), o.whole() ? a.getInt(o.name()) : a.getDouble(o.name()));
            }
        }
        return MethodSpec.of(id, values);
    }

    static Generate.Spec generateSpec(Args a, Path out) {
        AdamWConfig opt = AdamWConfig.defaults().withWeightDecay((float) a.getDouble("weight-decay"));
        HeadConfig.Pooling pooling;
        try {
            String p = a.get("head-pooling");
            pooling = p.equals("auto") ? null : HeadConfig.Pooling.parse(p);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--head-pooling must be auto, first, mean or last, got '" + a.get("head-pooling") + "'");
        }
        return new Generate.Spec(a.get("backbone"), methodSpec(a), CustomTaskOptions.task(a),
                a.getLong("seed"), opt, a.getInt("max-length"), out, pooling);
    }

    private static int generate(Args a) throws Exception {
        Path out = a.path("out");
        Generate.Spec spec = generateSpec(a, out);
        a.finish();
        detail("method " + spec.method().id() + " " + spec.method().values() + ", backbone " + spec.backbone() + ", task "
                + spec.task().shortName() + ", seed " + spec.seed() + ", max length " + spec.maxLength());
        long t0 = System.nanoTime();
        Artifacts art = Generate.run(spec);
        System.out.printf(Locale.ROOT, "wrote %s: %s on %s, task %s; trainable %,d, frozen %,d (%.1f s)%n", out,
                spec.method().id(), spec.backbone(), spec.task().shortName(), art.manifest().trainable().elements(),
                art.manifest().frozen().elements(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static RunSettings runSettings(Args a) {
        Device d = switch (a.get("device")) {
            case "cpu" -> Device.CPU;
            case "cuda" -> Device.CUDA;
            default -> throw new Args.UsageException("--device must be cpu or cuda");
        };
        return new RunSettings(d, a.getInt("threads", Math.min(Runtime.getRuntime().availableProcessors(), dev.idspam.pipeline.run.OptionRanges.MAX_THREADS)));
    }

    /**
     * The data folders searched before the download cache: {@code --data} (else {@code IDSPAM_DATA})
     * alone when given, otherwise those of {@link DataLocator#defaultDataDirs} under the repository
     * root, which the launcher passes as {@code -Didspam.root} (the working folder without it).
     */
    static List<Path> dataDirs(Args a) {
        String given = a.get("data", System.getenv("IDSPAM_DATA"));
        if (given != null) {
            return List.of(Path.of(given));
        }
        return DataLocator.defaultDataDirs(Path.of(System.getProperty("idspam.root", "")));
    }

    static TrainJob.Spec trainSpec(Args a, Path artifacts) {
        return new TrainJob.Spec(artifacts, dataDirs(a), a.getInt("epochs"), a.getInt("batch-size"),
                a.getDouble("lr"), a.getDouble("warmup-ratio"), a.getInt("grad-accumulation"),
                a.getLong("seed"), a.getInt("max-train-samples"), a.flag("resume"), a.flag("skip-bad-rows"),
                a.flag("download"), runSettings(a), prefixCacheMode(a), a.getInt("prefix-cache-max-mb"), a.getInt("patience"),
                a.getInt("min-epochs"));
    }

    private static PrefixCache.Mode prefixCacheMode(Args a) {
        try {
            return PrefixCache.Mode.parse(a.get("prefix-cache"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    private static int train(Args a) throws Exception {
        TrainJob.Spec spec = trainSpec(a, a.path("artifacts"));
        int diagnostics = a.getInt("diagnostics");
        if (diagnostics < 0) {
            throw new Args.UsageException("train: --diagnostics must be >= 0 (0 = off), got " + diagnostics);
        }
        a.finish();
        Main.detail(String.format(Locale.ROOT, "settings: %s", spec));
        dev.idspam.runtime.TrainingListener listener = trainingListener();
        dev.idspam.pipeline.run.EpochDiagnostics d = diagnostics == 0 ? null : new dev.idspam.pipeline.run.EpochDiagnostics(
                listener, spec.artifacts(), spec.data(), diagnostics, spec.seed(), spec.batchSize(), spec.run());
        TrainJob.Outcome o = TrainJob.run(spec, d != null ? d : listener);
        printReport(o.report());
        System.out.println("report: " + o.reportJson() + " and " + o.reportMarkdown());
        if (d != null) {
            System.out.println("diagnostics: " + d.write());
        }
        return 0;
    }

    static void printReport(RunReport r) {
        StringBuilder m = new StringBuilder();
        for (Map.Entry<String, Double> e : r.devMetrics().entrySet()) {
            m.append(m.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", 100 * e.getValue()));
        }
        System.out.printf(Locale.ROOT, "%s on %s: best epoch %d, dev %s; %.1f samples/s; frozen weights unchanged: %s%n",
                r.method(), r.task(), r.bestEpoch(), m, r.trainSamplesPerSecond(), r.frozenWeightsUnchanged());
    }

    static Split split(String command, String name) {
        return Split.fromOption(name).orElseThrow(() -> new Args.UsageException(command
                + ": --split must be dev, dev-mismatched or train, got '" + name + "'"));
    }

    private static int diagnose(Args a) throws Exception {
        Path model = a.path("model");
        List<Path> data = dataDirs(a);
        Split split = split("diagnose", a.get("split"));
        int maxSamples = a.getInt("max-samples");
        if (maxSamples < 0) {
            throw new Args.UsageException("diagnose: --max-samples must be >= 0 (0 = all), got " + maxSamples);
        }
        long seed = a.getLong("seed");
        int batch = a.getInt("batch-size");
        dev.idspam.datasets.batch.BatchingOptions.checkBatchSize(batch);
        boolean json = a.flag("json");
        boolean skip = a.flag("skip-bad-rows");
        boolean download = a.flag("download");
        a.finish();
        dev.idspam.serving.Bundle bundle = dev.idspam.serving.Bundle.open(model);
        Task task = bundle.manifest().task();
        var read = dev.idspam.datasets.read.DatasetReader.read(task, split,
                dev.idspam.pipeline.run.TrainJob.locator(data, download).resolve(task, split),
                skip ? dev.idspam.datasets.read.ReadOptions.skipBadRows(true) : dev.idspam.datasets.read.ReadOptions.strict());
        var examples = dev.idspam.pipeline.run.ExampleSample.of(read.examples(), maxSamples, seed);
        var r = dev.idspam.pipeline.run.PromptDiagnostics.run(bundle, examples, batch);
        if (json) {
            System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(r.toJson()));
            return EXIT_OK;
        }
        System.out.printf(Locale.ROOT, "%s on %s %s, %d examples; prompt of %d vectors at layer %d%n", model, task.shortName(),
                split.name().toLowerCase(Locale.ROOT), r.examples(), r.promptTokens(), r.layer());
        System.out.printf(Locale.ROOT, "  mean norm: prompt vectors %.3f, input hidden states at layer %d %.3f (ratio %.3f)%n",
                r.promptNorm(), r.layer(), r.hiddenNorm(), r.promptNorm() / r.hiddenNorm());
        System.out.println("  attention of input tokens on the prompt, per layer (share a content-blind attention would give):");
        for (var l : r.layers()) {
            System.out.printf(Locale.ROOT, "    layer %d  %.3f  (%.3f)%s%n", l.layer(), l.promptAttention(), l.uniformShare(),
                    l.readTokenOnly() ? "  first input token's attention only (the layer computes that row alone)" : "");
        }
        return EXIT_OK;
    }

    private static int evaluate(Args a) throws Exception {
        boolean hasModel = a.has("model");
        boolean hasArtifacts = a.has("artifacts");
        if (hasModel == hasArtifacts) {
            throw new Args.UsageException("eval: give --model (a bundle or artifacts folder) or --artifacts, one of them");
        }
        Path model = a.path(hasModel ? "model" : "artifacts");
        Task task = a.has("task") ? Task.parse(a.get("task", null)) : null;
        List<Path> data = dataDirs(a);
        Split split = split("eval", a.get("split"));
        int maxSamples = a.getInt("max-samples");
        if (maxSamples < 0) {
            throw new Args.UsageException("eval: --max-samples must be >= 0 (0 = all), got " + maxSamples);
        }
        long seed = a.getLong("seed");
        Path ckpt = a.has("checkpoint") ? Path.of(a.get("checkpoint", null)) : null;
        int batch = a.getInt("batch-size");
        dev.idspam.datasets.batch.BatchingOptions.checkBatchSize(batch);
        boolean json = a.flag("json");
        Path predictions = a.has("predictions") ? Path.of(a.get("predictions", null)) : null;
        boolean skip = a.flag("skip-bad-rows");
        boolean download = a.flag("download");
        RunSettings rs = runSettings(a);
        a.finish();
        if (hasArtifacts && dev.idspam.pipeline.run.ModelEvaluation.kindOf(model) != dev.idspam.pipeline.run.ModelEvaluation.Kind.ARTIFACTS) {
            throw new java.io.IOException(model + ": --artifacts takes a trained artifacts folder; use --model for a bundle");
        }
        dev.idspam.pipeline.run.ModelEvaluation.Outcome o;
        try (var m = dev.idspam.pipeline.run.ModelEvaluation.open(model, ckpt, rs)) {
            o = m.score(task, split, data, maxSamples, seed, batch, skip, download);
        }
        if (predictions != null) {
            dev.idspam.graphs.io.AtomicFiles.writeString(predictions, o.predictionsJsonl());
        }
        if (json) {
            JsonObject j = o.toJson();
            j.addProperty("device", rs.deviceLabel());
            if (maxSamples > 0) {
                j.addProperty("max_samples", maxSamples);
                j.addProperty("seed", seed);
            }
            System.out.println(j);
            return EXIT_OK;
        }
        StringBuilder sb = new StringBuilder();
        o.metrics().values().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", 100 * v)));
        System.out.printf(Locale.ROOT, "%s (%d examples%s%s%s): %s; %.2f ms per example%n",
                o.split().name().toLowerCase(Locale.ROOT), o.examples(),
                o.examples() < o.splitExamples() ? ", a seeded sample of " + o.splitExamples() : "",
                skip ? ", " + o.skippedRows() + " bad rows skipped" : "",
                !o.task().equals(o.modelTask()) ? ", task " + o.task().shortName() + " scored by a " + o.modelTask().shortName()
                        + " model" : "", sb, o.msPerSample());
        if (predictions != null) {
            progress("predictions: " + predictions);
        }
        return EXIT_OK;
    }

    private static int ciEval(Args a) throws Exception {
        List<String> words = a.positional();
        if (words.size() != 1) {
            throw new Args.UsageException("ci-eval: give one suite file (got " + words.size() + ")");
        }
        Path suiteFile = Path.of(words.get(0));
        List<Path> data = dataDirs(a);
        Path baseline = a.has("baseline") ? Path.of(a.get("baseline", null)) : null;
        boolean update = a.flag("update-baseline");
        int threads = a.getInt("threads", Math.min(Runtime.getRuntime().availableProcessors(),
                dev.idspam.pipeline.run.OptionRanges.MAX_THREADS));
        String outOption = a.get("out", null);
        a.finish();
        dev.idspam.pipeline.ci.CiSuite suite = dev.idspam.pipeline.ci.CiSuite.read(suiteFile);
        Path out = outOption != null ? Path.of(outOption)
                : suiteFile.toAbsolutePath().getParent().resolve("ci-eval-results");
        dev.idspam.pipeline.ci.CiRun.Result r = dev.idspam.pipeline.ci.CiRun.run(suite, baseline, data, threads, update,
                Main::progress);
        dev.idspam.pipeline.ci.CiRun.writeReports(r, out);
        System.out.print(dev.idspam.pipeline.ci.CiRun.markdown(r).lines().skip(2)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        System.out.println("reports: " + out.resolve("results.json") + ", " + out.resolve("summary.md") + ", "
                + out.resolve("junit.xml"));
        for (var c : r.checks()) {
            for (var x : c.cases()) {
                if (x.status() != dev.idspam.pipeline.ci.CiRun.Status.PASSED) {
                    System.err.println("idspam ci-eval: " + c.check().name() + ": " + x.name() + ": " + x.message());
                }
            }
        }
        if (update) {
            if (r.exit() >= EXIT_BAD_INPUT) {
                System.err.println("idspam ci-eval: the baseline was not updated: a check could not run");
            } else {
                System.out.println("baseline written: " + dev.idspam.pipeline.ci.CiRun.writeBaseline(r));
            }
        }
        return r.exit();
    }

    /** The spark module's entry point; it is on the classpath when the launcher runs spark-score (see {@code idspam}). */
    static final String SPARK_SCORE = "dev.idspam.spark.SparkScore";

    private static int sparkScore(Args a) throws Exception {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        for (String required : List.of("model", "input", "format", "text-col", "output")) {
            o.put(required, a.required(required));
        }
        for (String optional : List.of("text-pair-col", "output-format", "rejects")) {
            if (a.has(optional)) {
                o.put(optional, a.get(optional, null));
            }
        }
        o.put("master", a.get("master"));
        o.put("batch-size", Integer.toString(a.getInt("batch-size")));
        o.put("threads", Integer.toString(a.getInt("threads")));
        o.put("ship", Boolean.toString(a.flag("ship")));
        a.finish();
        Class<?> entry;
        try {
            entry = Class.forName(SPARK_SCORE);
        } catch (ClassNotFoundException e) {
            throw new dev.idspam.runtime.DeviceUnavailableException("spark-score needs Apache Spark and the spark module on the"
                    + " classpath: run it through ./idspam, which builds them for this command, or see docs/spark.md");
        }
        java.util.function.Consumer<String> progress = line -> {
            if (verbosity() != Cli.Verbosity.QUIET) {
                System.err.println(line);
            }
        };
        Object result;
        try {
            result = entry.getMethod("run", Map.class, java.util.function.Consumer.class).invoke(null, o, progress);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        System.out.println(result);
        return EXIT_OK;
    }

    private static int export(Args a) throws Exception {
        Path artifacts = a.path("artifacts");
        Path out = a.path("out");
        Path ckpt = a.has("checkpoint") ? Path.of(a.get("checkpoint", null)) : null;
        boolean adapter = a.flag("adapter");
        boolean fused = !a.flag("plain");
        String quantize = a.get("quantize");
        if (!quantize.equals("none") && !quantize.equals("int8")) {
            throw new Args.UsageException("export: --quantize must be none or int8, got '" + quantize + "'");
        }
        RunSettings rs = runSettings(a);
        a.finish();
        Bundle b = Export.run(artifacts, ckpt, out, rs, adapter, new Export.GraphOptions(fused, quantize.equals("int8")));
        com.google.gson.JsonObject g = b.manifest().json().getAsJsonObject("graph");
        System.out.printf(Locale.ROOT, "exported %s (%,d bytes, %s) from %s%n", b.model(), Files.size(b.model()),
                g.get("fused").getAsBoolean() ? "fused operators in " + g.get("fused_layers").getAsInt() + " layers" : "plain graph",
                b.manifest().checkpoint());
        return 0;
    }

    private static int predict(Args a) throws Exception {
        Path model = a.path("model");
        boolean json = a.flag("json");
        List<String> texts = a.positional();
        boolean stdinFlag = a.flag("stdin");
        boolean stdin = stdinFlag || (texts.size() == 1 && texts.get(0).equals("-"));
        String format = a.get("input-format");
        if (!format.equals("auto") && !format.equals("lines") && !format.equals("jsonl")) {
            throw new Args.UsageException("predict: --input-format must be auto, lines or jsonl, got '" + format + "'");
        }
        boolean formatGiven = a.has("input-format");
        int batch = a.getInt("batch-size");
        dev.idspam.datasets.batch.BatchingOptions.checkBatchSize(batch);
        a.finish();
        if (stdinFlag && !texts.isEmpty()) {
            throw new Args.UsageException("predict: --stdin reads the inputs from standard input; give no text as well");
        }
        if (!stdin && formatGiven) {
            throw new Args.UsageException("predict: --input-format applies to --stdin (or the text '-') only");
        }
        if (!stdin && (texts.isEmpty() || texts.size() > 2)) {
            throw new Args.UsageException("predict: give one text, or two for a sentence-pair task (got " + texts.size()
                    + "), or --stdin; put -- before a text that starts with dashes");
        }
        try (Predictor p = Predictor.open(model)) {
            if (!stdin) {
                System.out.println(render(p.predict(texts.get(0), texts.size() > 1 ? texts.get(1) : null), json));
                return EXIT_OK;
            }
            boolean pair = p.bundle().manifest().pair();
            if (pair && format.equals("lines")) {
                throw new Args.UsageException("predict: " + model + " takes pairs of texts (task "
                        + p.bundle().manifest().task().shortName() + "); give them as --input-format jsonl with \"text\" and"
                        + " \"text_pair\"");
            }
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8));
            List<String> a1 = new java.util.ArrayList<>();
            List<String> b1 = pair ? new java.util.ArrayList<>() : null;
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue; // blank lines hold no input (a trailing newline, a separator)
                }
                if (format.equals("auto")) {
                    // auto: the first non-blank line decides for all: a JSON object starts JSON lines, anything else
                    // is plain text (--input-format lines reads a text that starts with '{' as it is)
                    format = line.stripLeading().startsWith("{") ? "jsonl" : "lines";
                    if (pair && format.equals("lines")) {
                        throw new IllegalArgumentException("standard input line " + lineNo + ": " + model + " takes pairs"
                                + " of texts (task " + p.bundle().manifest().task().shortName() + "); give JSON lines with"
                                + " \"text\" and \"text_pair\"");
                    }
                }
                String[] input = format.equals("jsonl") ? jsonInput(line, lineNo, pair) : new String[] {line, null};
                a1.add(input[0]);
                if (b1 != null) {
                    b1.add(input[1]);
                }
                if (a1.size() == batch) {
                    flush(p, a1, b1, json, lineNo);
                }
            }
            flush(p, a1, b1, json, lineNo);
        }
        return EXIT_OK;
    }

    /** The texts of one JSON line of standard input; errors name the line. */
    private static String[] jsonInput(String line, int lineNo, boolean pair) {
        String where = "standard input line " + lineNo;
        JsonObject o;
        try {
            com.google.gson.JsonElement e = com.google.gson.JsonParser.parseString(line);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(where + ": expected a JSON object with \"text\"");
            }
            o = e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(where + ": malformed JSON");
        }
        for (String k : o.keySet()) {
            if (!k.equals("text") && !k.equals("text_pair")) {
                throw new IllegalArgumentException(where + ": field '" + k + "' is not taken; the fields are text and text_pair");
            }
        }
        String a = jsonText(o, "text", where);
        if (a == null) {
            throw new IllegalArgumentException(where + ": field 'text' is missing");
        }
        String b = jsonText(o, "text_pair", where);
        if (pair && b == null) {
            throw new IllegalArgumentException(where + ": field 'text_pair' is missing; the model takes pairs of texts");
        }
        if (!pair && b != null) {
            throw new IllegalArgumentException(where + ": field 'text_pair' is not taken; the model takes a single text");
        }
        return new String[] {a, b};
    }

    private static String jsonText(JsonObject o, String key, String where) {
        com.google.gson.JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + ": field '" + key + "' must be a string");
        }
        if (e.getAsString().isBlank()) {
            throw new IllegalArgumentException(where + ": field '" + key + "' is empty");
        }
        return e.getAsString();
    }

    private static void flush(Predictor p, List<String> a, List<String> b, boolean json, int lastLine) {
        if (a.isEmpty()) {
            return;
        }
        List<Predictor.Prediction> out;
        try {
            out = p.predictAll(a, b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("standard input up to line " + lastLine + ": " + e.getMessage(), e);
        }
        StringBuilder sb = new StringBuilder();
        out.forEach(pr -> sb.append(render(pr, json)).append('\n'));
        System.out.print(sb);
        System.out.flush();
        a.clear();
        if (b != null) {
            b.clear();
        }
    }

    /** One result: {@code label<TAB>(name p, ...)}, or a JSON object (label, label_index, probabilities; score for regression). */
    static String render(Predictor.Prediction pr, boolean json) {
        if (json) {
            JsonObject o = new JsonObject();
            if (pr.regression()) {
                o.addProperty("score", pr.score());
            } else {
                o.addProperty("label", pr.label());
                o.addProperty("label_index", pr.labelIndex());
                JsonObject probs = new JsonObject();
                pr.probabilities().forEach(probs::addProperty);
                o.add("probabilities", probs);
            }
            return o.toString();
        }
        if (pr.regression()) {
            return String.format(Locale.ROOT, "%.4f", pr.score());
        }
        StringBuilder sb = new StringBuilder();
        pr.probabilities().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return pr.label() + "\t(" + sb + ")";
    }

    private static int params(Args a) throws Exception {
        String backbone = a.get("backbone");
        MethodSpec spec = methodSpec(a);
        Task task = Task.parse(a.get("task"));
        a.finish();
        System.out.print(ParameterReport.render(backbone, spec, task));
        return 0;
    }
}
