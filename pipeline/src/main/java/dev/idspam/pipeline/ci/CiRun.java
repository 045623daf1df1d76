package dev.idspam.pipeline.ci;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.pipeline.run.ModelEvaluation;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.DeviceUnavailableException;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a {@link CiSuite} and judges it. Every check becomes one or more test cases: one per metric
 * with a minimum ({@code accuracy >= 0.8}), one per metric compared with the baseline
 * ({@code accuracy regression <= 0.01}), one for the time budget; a check that cannot run (a missing
 * model, bad data, no CUDA) becomes one case in error with the reason. Nothing is skipped: a CUDA
 * check on a machine without a working CUDA provider is an error, never a pass or a CPU run.
 *
 * <p>Exit status (the command line's scheme): 0 when every case passes, 1 when a threshold,
 * regression or time budget fails, 2 when a check's model, data or baseline is bad, 3 when the
 * environment cannot run a check (no CUDA, out of memory). The worst one wins. Models are opened
 * once per (folder) and shared by the checks that name them.
 */
public final class CiRun {
    private CiRun() {
    }

    public enum Status { PASSED, FAILED, ERROR }

    /** One test case: {@code value} measured against {@code limit}; {@code message} says why it failed or erred. */
    public record Case(String check, String name, Status status, Double value, Double limit, String message) {
    }

    /** A check's outcome: the evaluation (null when it could not run), its cases, its exit status and time. */
    public record CheckResult(CiSuite.Check check, ModelEvaluation.Outcome outcome, List<Case> cases, int exit, double seconds) {
    }

    /** The whole run; {@code modelsOpened} counts the model sessions opened (one per distinct model folder). */
    public record Result(CiSuite suite, List<CheckResult> checks, Path baseline, int exit, int modelsOpened) {
        public long count(Status s) {
            return checks.stream().flatMap(c -> c.cases().stream()).filter(c -> c.status() == s).count();
        }

        public long cases() {
            return checks.stream().mapToLong(c -> c.cases().size()).sum();
        }
    }

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_ENVIRONMENT = 3;

    /** Relative slack on a minimum, so that a value printed as the threshold is not failed by float rounding. */
    private static final double EPS = 1e-9;

    /**
     * Runs every check. {@code baseline} overrides the suite's baseline file; {@code defaultData}
     * holds the data folders for checks without {@code data}; {@code progress} gets a line per check.
     */
    public static Result run(CiSuite suite, Path baseline, List<Path> defaultData, int threads, boolean updatingBaseline,
                             Consumer<String> progress) throws IOException {
        Path baselineFile = baseline != null ? baseline : suite.baseline();
        Map<String, JsonObject> base = readBaseline(baselineFile, suite);
        RunSettings settings = new RunSettings(suite.device(), threads);
        Map<Path, ModelEvaluation> open = new HashMap<>();
        List<CheckResult> results = new ArrayList<>();
        try {
            for (CiSuite.Check c : suite.checks()) {
                long t0 = System.nanoTime();
                CheckResult r;
                try {
                    Path key = c.model().toAbsolutePath().normalize();
                    ModelEvaluation m = open.get(key);
                    if (m == null) {
                        m = ModelEvaluation.open(c.model(), null, settings);
                        open.put(key, m);
                    }
                    ModelEvaluation.Outcome o = m.score(c.task(), c.split(), c.data() != null ? List.of(c.data()) : defaultData,
                            c.maxSamples(), c.seed(), c.batchSize(), false, false);
                    List<Case> cases = judge(c, o, base, baselineFile, updatingBaseline);
                    int exit = cases.stream().anyMatch(x -> x.status() == Status.ERROR) ? EXIT_BAD_INPUT
                            : cases.stream().anyMatch(x -> x.status() == Status.FAILED) ? EXIT_FAILED : EXIT_OK;
                    r = new CheckResult(c, o, cases, exit, (System.nanoTime() - t0) / 1e9);
                } catch (Exception | OutOfMemoryError e) {
                    int exit = exitFor(e);
                    String why = message(e);
                    r = new CheckResult(c, null, List.of(new Case(c.name(), "runs", Status.ERROR, null, null,
                            (exit == EXIT_ENVIRONMENT ? "environment: " : "") + why)), exit, (System.nanoTime() - t0) / 1e9);
                }
                results.add(r);
                progress.accept(String.format(Locale.ROOT, "%-7s %s (%.1f s)", r.exit() == EXIT_OK ? "pass" : r.exit() == EXIT_FAILED
                        ? "FAIL" : "ERROR", c.name(), r.seconds()));
            }
        } finally {
            open.values().forEach(ModelEvaluation::close);
        }
        // the worst status wins; the codes are ordered by severity: ok < failed < bad input < environment
        int exit = results.stream().mapToInt(CheckResult::exit).max().orElse(EXIT_OK);
        return new Result(suite, results, baselineFile, exit, open.size());
    }

    static int exitFor(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DeviceUnavailableException || c instanceof OutOfMemoryError) {
                return EXIT_ENVIRONMENT;
            }
        }
        if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
                || e instanceof dev.idspam.datasets.read.DatasetFormatException
                || e instanceof com.google.gson.JsonParseException) {
            return EXIT_BAD_INPUT;
        }
        return EXIT_FAILED;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.lines().findFirst().orElse(m).strip();
    }

    /** The cases of one check; a check without a baseline entry is compared with nothing while the baseline is being written. */
    private static List<Case> judge(CiSuite.Check c, ModelEvaluation.Outcome o, Map<String, JsonObject> base, Path baselineFile,
                                    boolean updatingBaseline) {
        List<Case> cases = new ArrayList<>();
        Map<String, Double> metrics = o.metrics().values();
        for (Map.Entry<String, Double> t : c.min().entrySet()) {
            Double v = metrics.get(t.getKey());
            String name = t.getKey() + " >= " + fmt(t.getValue());
            if (v == null) {
                cases.add(new Case(c.name(), name, Status.ERROR, null, t.getValue(), "metric '" + t.getKey()
                        + "' is not reported for task " + o.task().shortName() + "; its metrics are " + metrics.keySet()));
            } else if (v + EPS < t.getValue()) {
                cases.add(new Case(c.name(), name, Status.FAILED, v, t.getValue(), t.getKey() + " is " + fmt(v)
                        + ", below the minimum " + fmt(t.getValue())));
            } else {
                cases.add(new Case(c.name(), name, Status.PASSED, v, t.getValue(), null));
            }
        }
        if (c.maxRegression() != null) {
            JsonObject b = base == null ? null : base.get(c.name());
            if (updatingBaseline && baselineFile != null) {
                // this run's metrics become the baseline: nothing to compare with
            } else if (b == null) {
                cases.add(new Case(c.name(), "baseline", Status.ERROR, null, c.maxRegression(), baselineFile == null
                        ? "max_regression needs a baseline: give the suite a \"baseline\" file or --baseline, and write it"
                        + " once with --update-baseline"
                        : !Files.exists(baselineFile) ? baselineFile + " does not exist: max_regression of check '" + c.name()
                        + "' needs it; write it once with --update-baseline"
                        : baselineFile + " holds no entry for check '" + c.name() + "'; write it with --update-baseline"));
            } else if (b.get("examples").getAsInt() != o.examples() || !b.get("task").getAsString().equals(o.task().shortName())) {
                cases.add(new Case(c.name(), "baseline", Status.ERROR, null, c.maxRegression(), baselineFile + ": the baseline of '"
                        + c.name() + "' scored " + b.get("examples").getAsInt() + " examples of " + b.get("task").getAsString()
                        + ", this run " + o.examples() + " of " + o.task().shortName() + "; update the baseline"));
            } else {
                compare(c, metrics, b, cases);
            }
        }
        if (c.maxMsPerSample() != null) {
            String name = "ms_per_sample <= " + fmt(c.maxMsPerSample());
            cases.add(o.msPerSample() > c.maxMsPerSample()
                    ? new Case(c.name(), name, Status.FAILED, o.msPerSample(), c.maxMsPerSample(), String.format(Locale.ROOT,
                    "%.3f ms per sample, over the budget of %s", o.msPerSample(), fmt(c.maxMsPerSample())))
                    : new Case(c.name(), name, Status.PASSED, o.msPerSample(), c.maxMsPerSample(), null));
        }
        return cases;
    }

    /** One case per metric the baseline holds: it may fall by at most {@code max_regression}. */
    private static void compare(CiSuite.Check c, Map<String, Double> metrics, JsonObject b, List<Case> cases) {
        JsonObject bm = b.getAsJsonObject("metrics");
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            if (!bm.has(m.getKey())) {
                continue;
            }
            double was = bm.get(m.getKey()).getAsDouble();
            double drop = was - m.getValue();
            String name = m.getKey() + " regression <= " + fmt(c.maxRegression());
            cases.add(drop > c.maxRegression() + EPS
                    ? new Case(c.name(), name, Status.FAILED, m.getValue(), was - c.maxRegression(), m.getKey()
                    + " fell from " + fmt(was) + " (baseline) to " + fmt(m.getValue()) + ", by " + fmt(drop)
                    + ", more than " + fmt(c.maxRegression()))
                    : new Case(c.name(), name, Status.PASSED, m.getValue(), was - c.maxRegression(), null));
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v).replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }

    // ---- baseline ----

    static final String BASELINE_FORMAT = "idspam-ci-baseline";

    /** The baseline's entries by check name; null when there is no baseline file. */
    static Map<String, JsonObject> readBaseline(Path file, CiSuite suite) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        JsonFields f = JsonFields.parse(Files.readString(file, StandardCharsets.UTF_8), file);
        f.oneOf("format", List.of(BASELINE_FORMAT));
        JsonFields checks = f.object("checks");
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : checks.json().entrySet()) {
            JsonFields c = checks.object(e.getKey());
            c.string("task");
            c.integer("examples", 1, Integer.MAX_VALUE);
            JsonFields m = c.object("metrics");
            for (Map.Entry<String, JsonElement> v : m.json().entrySet()) {
                if (!v.getValue().isJsonPrimitive() || !v.getValue().getAsJsonPrimitive().isNumber()) {
                    throw new IOException(file + ": field 'checks." + e.getKey() + ".metrics." + v.getKey() + "' must be a number");
                }
            }
            out.put(e.getKey(), c.json());
        }
        return out;
    }

    /** Writes this run's metrics as the baseline (atomically); checks that could not run keep their old entries. */
    public static Path writeBaseline(Result r) throws IOException {
        Path file = r.baseline();
        if (file == null) {
            throw new IllegalArgumentException(r.suite().file() + ": no baseline file to write: give the suite a \"baseline\""
                    + " field or pass --baseline FILE");
        }
        Map<String, JsonObject> old = readBaseline(file, r.suite());
        JsonObject checks = new JsonObject();
        if (old != null) {
            old.forEach(checks::add);
        }
        for (CheckResult c : r.checks()) {
            if (c.outcome() == null) {
                continue;
            }
            JsonObject o = new JsonObject();
            o.addProperty("task", c.outcome().task().shortName());
            o.addProperty("split", c.outcome().split().name().toLowerCase(Locale.ROOT));
            o.addProperty("examples", c.outcome().examples());
            o.addProperty("model_sha256", c.outcome().modelDigest());
            JsonObject m = new JsonObject();
            c.outcome().metrics().values().forEach(m::addProperty);
            o.add("metrics", m);
            checks.add(c.check().name(), o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("format", BASELINE_FORMAT);
        root.addProperty("suite", r.suite().name());
        root.add("checks", checks);
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
        return file;
    }

    // ---- reports ----

    /** Writes results.json, summary.md and junit.xml into {@code dir}, each atomically. */
    public static void writeReports(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("results.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json(r)) + "\n");
        AtomicFiles.writeString(dir.resolve("summary.md"), markdown(r));
        AtomicFiles.writeString(dir.resolve("junit.xml"), junit(r));
    }

    static JsonObject json(Result r) {
        JsonObject root = new JsonObject();
        root.addProperty("suite", r.suite().name());
        root.addProperty("exit_code", r.exit());
        root.addProperty("cases", r.cases());
        root.addProperty("failures", r.count(Status.FAILED));
        root.addProperty("errors", r.count(Status.ERROR));
        root.addProperty("models_opened", r.modelsOpened());
        JsonArray checks = new JsonArray();
        for (CheckResult c : r.checks()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.check().name());
            o.addProperty("device", c.check().device().name().toLowerCase(Locale.ROOT));
            o.addProperty("exit_code", c.exit());
            o.addProperty("seconds", c.seconds());
            if (c.outcome() != null) {
                o.add("result", c.outcome().toJson());
            }
            JsonArray cases = new JsonArray();
            for (Case x : c.cases()) {
                JsonObject k = new JsonObject();
                k.addProperty("name", x.name());
                k.addProperty("status", x.status().name().toLowerCase(Locale.ROOT));
                if (x.value() != null) {
                    k.addProperty("value", x.value());
                }
                if (x.limit() != null) {
                    k.addProperty("limit", x.limit());
                }
                if (x.message() != null) {
                    k.addProperty("message", x.message());
                }
                cases.add(k);
            }
            o.add("cases", cases);
            checks.add(o);
        }
        root.add("checks", checks);
        return root;
    }

    /** A table of every case, for a CI job's summary page and the console. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ci-eval: ").append(r.suite().name()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d cases: %d passed, %d failed, %d errors; exit code %d%n%n", r.cases(),
                r.count(Status.PASSED), r.count(Status.FAILED), r.count(Status.ERROR), r.exit()));
        sb.append("| check | case | value | status | detail |\n|---|---|---:|---|---|\n");
        for (CheckResult c : r.checks()) {
            for (Case x : c.cases()) {
                sb.append("| ").append(c.check().name()).append(" | ").append(x.name().replace("|", "\\|")).append(" | ")
                        .append(x.value() == null ? "" : fmt(x.value())).append(" | ")
                        .append(x.status() == Status.PASSED ? "pass" : x.status() == Status.FAILED ? "**FAIL**" : "**ERROR**")
                        .append(" | ").append(x.message() == null ? "" : x.message().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.toString();
    }

    /**
     * JUnit XML as GitHub and GitLab read it: one {@code testsuite} for the suite, one {@code testcase}
     * per case, named {@code check: case}, with a {@code failure} or an {@code error} element.
     */
    static String junit(Result r) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        double total = r.checks().stream().mapToDouble(CheckResult::seconds).sum();
        String attrs = String.format(Locale.ROOT, " tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\"",
                r.cases(), r.count(Status.FAILED), r.count(Status.ERROR), total);
        sb.append("<testsuites name=\"ci-eval\"").append(attrs).append(">\n");
        sb.append("  <testsuite name=\"").append(xml(r.suite().name())).append('"').append(attrs).append(">\n");
        for (CheckResult c : r.checks()) {
            boolean first = true;
            for (Case x : c.cases()) {
                sb.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                        xml("ci-eval." + r.suite().name() + "." + c.check().name()), xml(c.check().name() + ": " + x.name()),
                        first ? c.seconds() : 0.0));
                first = false;
                if (x.status() == Status.PASSED) {
                    sb.append("/>\n");
                    continue;
                }
                String tag = x.status() == Status.FAILED ? "failure" : "error";
                sb.append(">\n      <").append(tag).append(" message=\"").append(xml(c.check().name() + ": " + x.message()))
                        .append("\" type=\"").append(x.status() == Status.FAILED ? "threshold" : c.exit() == EXIT_ENVIRONMENT
                                ? "environment" : c.exit() == EXIT_BAD_INPUT ? "input" : "internal").append("\">").append(xml(x.message())).append("</").append(tag)
                        .append(">\n    </testcase>\n");
            }
        }
        sb.append("  </testsuite>\n</testsuites>\n");
        return sb.toString();
    }

    /** Escapes XML text and attributes; characters XML 1.0 cannot hold become '?'. */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
                    sb.appendCodePoint(ok ? cp : '?');
                }
            }
        });
        return sb.toString();
    }
}
