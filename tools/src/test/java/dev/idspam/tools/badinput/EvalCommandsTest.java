package dev.idspam.tools.badinput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval} on bundles and artifacts, zero-shot transfer, samples and predictions files;
 * {@code ci-eval} suites passing, failing a threshold, erring on CUDA, against a baseline; and
 * {@code predict} reading standard input. All on the tiny trained SST-2 run of {@link TinyRun}.
 */
class EvalCommandsTest {
    @TempDir
    static Path tmp;
    private static Path run;
    private static Path bundle;
    private static Path data;

    @BeforeAll
    static void trainAndExport() throws Exception {
        TinyRun.writeBackbone(tmp.resolve("backbone"), 11);
        data = TinyRun.writeData(tmp.resolve("data"), 12);
        run = tmp.resolve("run");
        bundle = tmp.resolve("bundle");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--seed", "3", "--out", run.toString());
        ok("train", "--artifacts", run.toString(), "--data", data.toString(), "--epochs", "2", "--batch-size", "8", "--seed",
                "4", "--threads", "1");
        ok("export", "--artifacts", run.toString(), "--out", bundle.toString(), "--threads", "1");
        // an IMDB-format folder: one review per file under aclImdb/test/{pos,neg} (the task's dev split)
        for (String polarity : List.of("pos", "neg")) {
            Path d = tmp.resolve("imdb/aclImdb/test/" + polarity);
            Files.createDirectories(d);
            for (int i = 0; i < 5; i++) {
                Files.writeString(d.resolve(i + "_" + (polarity.equals("pos") ? 8 : 2) + ".txt"), polarity.equals("pos")
                        ? "the film is good and fun ." : "it was a very dull and bad plot .", StandardCharsets.UTF_8);
            }
        }
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as("idspam %s\n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text.strip()).getAsJsonObject();
    }

    @Test
    void aBundleAndItsArtifactsReproduceTheTrainingRunsDevMetricsExactly() throws Exception {
        JsonObject report = json(Files.readString(run.resolve("report.json")));
        JsonObject want = report.getAsJsonObject("dev_metrics");
        for (String form : List.of("--model=" + bundle, "--artifacts=" + run)) {
            JsonObject got = json(ok("eval", form, "--task", "sst2", "--json", "--data", data.toString(), "--threads", "1").out());
            assertThat(got.get("task").getAsString()).isEqualTo("sst2");
            assertThat(got.get("examples").getAsInt()).isEqualTo(16);
            assertThat(got.getAsJsonObject("metrics")).as(form).isEqualTo(want);
            assertThat(got.get("split").getAsString()).isEqualTo("dev");
            assertThat(got.getAsJsonArray("labels").toString()).isEqualTo("[\"negative\",\"positive\"]");
            assertThat(got.get("model_sha256").getAsString()).matches("[0-9a-f]{64}");
            assertThat(got.get("ms_per_sample").getAsDouble()).isPositive();
        }
        assertThat(json(ok("eval", "--model", bundle.toString(), "--json", "--data", data.toString(), "--threads", "1").out())
                .get("kind").getAsString()).isEqualTo("bundle");
    }

    @Test
    void theSst2ModelIsScoredOnImdbWithoutRetrainingAndRefusedOnATaskWithOtherLabels() {
        JsonObject got = json(ok("eval", "--model", bundle.toString(), "--task", "imdb", "--data", tmp.resolve("imdb").toString(),
                "--json", "--threads", "1").out());
        assertThat(got.get("model_task").getAsString()).isEqualTo("sst2");
        assertThat(got.get("task").getAsString()).isEqualTo("imdb");
        assertThat(got.get("examples").getAsInt()).isEqualTo(10);
        assertThat(got.getAsJsonObject("metrics").keySet()).containsExactly("accuracy", "f1_macro", "acc_and_f1");
        CliRun cb = CliRun.of("eval", "--model", bundle.toString(), "--task", "cb", "--data", data.toString(), "--threads", "1");
        assertThat(cb.exit()).isEqualTo(2);
        assertThat(cb.err()).contains("cannot score a model trained on sst2 (labels [negative, positive]) on cb");
    }

    @Test
    void aSeededSampleIsRepeatableAndPredictionsCarryLabelNames() throws Exception {
        Path p1 = tmp.resolve("p1.jsonl");
        Path p2 = tmp.resolve("p2.jsonl");
        for (Path p : List.of(p1, p2)) {
            String out = ok("eval", "--model", bundle.toString(), "--max-samples", "6", "--seed", "5", "--predictions",
                    p.toString(), "--data", data.toString(), "--threads", "1").out();
            assertThat(out).startsWith("dev (6 examples, a seeded sample of 16): accuracy ");
        }
        List<String> lines = Files.readAllLines(p1);
        assertThat(lines).hasSize(6).isEqualTo(Files.readAllLines(p2));
        JsonObject first = json(lines.get(0));
        assertThat(first.get("gold").getAsString()).isIn("negative", "positive");
        assertThat(first.getAsJsonObject("probabilities").keySet()).containsExactly("negative", "positive");
        String other = ok("eval", "--model", bundle.toString(), "--max-samples", "6", "--seed", "6", "--predictions",
                p2.toString(), "--data", data.toString(), "--threads", "1").out();
        assertThat(other).startsWith("dev (6 examples");
        assertThat(Files.readAllLines(p2)).isNotEqualTo(lines);
    }

    private static Path suite(String name, String checks) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, "{\"name\": \"" + name + "\", \"baseline\": \"" + name + "-baseline.json\", \"data\": \"data\","
                + " \"checks\": [" + checks + "]}");
        return f;
    }

    private static Document junit(Path out) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
    }

    @Test
    void aPassingSuiteExitsZeroWithOneTestcasePerCheckAndMetric() throws Exception {
        Path s = suite("pass", "{\"name\": \"bundle-dev\", \"model\": \"bundle\", \"task\": \"sst2\", \"min\": {\"accuracy\": 0.0},"
                + " \"max_ms_per_sample\": 60000},"
                + "{\"name\": \"artifacts-dev\", \"model\": \"run\", \"max_samples\": 8, \"min\": {\"accuracy\": 0.0}},"
                + "{\"name\": \"bundle-sample\", \"model\": \"./bundle\", \"max_samples\": 4, \"min\": {\"accuracy\": 0.0}}");
        Path out = tmp.resolve("pass-out");
        CliRun r = ok("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(r.out()).contains("| bundle-dev | accuracy >= 0 |");
        Document d = junit(out);
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(names(d)).containsExactly("bundle-dev: accuracy >= 0", "bundle-dev: ms_per_sample <= 60000",
                "artifacts-dev: accuracy >= 0", "bundle-sample: accuracy >= 0");
        JsonObject results = json(Files.readString(out.resolve("results.json")));
        assertThat(results.get("exit_code").getAsInt()).isZero();
        // two checks name the bundle (one as ./bundle): it is opened once, the artifacts once
        assertThat(results.get("models_opened").getAsInt()).isEqualTo(2);
        assertThat(results.getAsJsonArray("checks").get(2).getAsJsonObject().getAsJsonObject("result").get("examples")
                .getAsInt()).isEqualTo(4);
        assertThat(Files.readString(out.resolve("summary.md"))).contains("4 cases: 4 passed, 0 failed, 0 errors; exit code 0");
    }

    @Test
    void aRaisedThresholdExitsOneWithAJUnitFailureNamingTheCheckAndMetric() throws Exception {
        Path s = suite("raised", "{\"name\": \"sst2-gate\", \"model\": \"bundle\", \"min\": {\"accuracy\": 1.01}}");
        Path out = tmp.resolve("raised-out");
        CliRun r = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("sst2-gate: accuracy >= 1.01: accuracy is ");
        NodeList failures = junit(out).getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        String message = ((Element) failures.item(0)).getAttribute("message");
        assertThat(message).startsWith("sst2-gate: accuracy is ").endsWith("below the minimum 1.01");
        assertThat(((Element) failures.item(0).getParentNode()).getAttribute("name")).isEqualTo("sst2-gate: accuracy >= 1.01");
    }

    @Test
    void aCudaCheckOnThisMachineIsAnEnvironmentErrorWithTheReasonNeverASkip() throws Exception {
        Path s = suite("cuda", "{\"name\": \"gpu-dev\", \"model\": \"bundle\", \"device\": \"cuda\", \"min\": {\"accuracy\": 0.5}}");
        Path out = tmp.resolve("cuda-out");
        CliRun r = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        // Without the GPU core (the default build) the reason is the missing CUDA provider. With it
        // (-Pgpu on a GPU runner) this test JVM already runs ONNX Runtime on the CPU, and the device
        // is fixed per process: still an environment error, never a run on the CPU.
        boolean gpuCore = getClass().getResource("/org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime.so.1") != null;
        String reason = gpuCore ? "(CUDA was requested|cuda was requested, but ONNX Runtime is already installed)"
                : "CUDA was requested, but the GPU build of the ONNX Runtime native core is not on the classpath";
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).containsPattern("gpu-dev: runs: environment: " + reason);
        assertThat(r.out()).contains("| gpu-dev | runs |", "**ERROR**");
        Document d = junit(out);
        assertThat(d.getElementsByTagName("skipped").getLength()).isZero();
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        Element error = (Element) d.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("environment");
        assertThat(error.getAttribute("message")).containsPattern("^gpu-dev: environment: " + reason);
        assertThat(((Element) d.getElementsByTagName("testsuite").item(0)).getAttribute("errors")).isEqualTo("1");
        assertThat(json(Files.readString(out.resolve("results.json"))).get("exit_code").getAsInt()).isEqualTo(3);
    }

    @Test
    void aBaselineIsWrittenOnceAndARegressionAgainstItFails() throws Exception {
        String check = "{\"name\": \"reg\", \"model\": \"bundle\", \"max_regression\": 0.0}";
        Path s = suite("base", check);
        Path out = tmp.resolve("base-out");
        CliRun missing = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("base-baseline.json does not exist: max_regression of check 'reg' needs it",
                "--update-baseline");
        ok("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1", "--update-baseline");
        Path baseline = tmp.resolve("base-baseline.json");
        assertThat(baseline).exists();
        ok("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        // a baseline 0.05 higher than what the model scores: the same model now regresses
        JsonObject b = json(Files.readString(baseline));
        JsonObject m = b.getAsJsonObject("checks").getAsJsonObject("reg").getAsJsonObject("metrics");
        m.addProperty("accuracy", m.get("accuracy").getAsDouble() + 0.05);
        Files.writeString(baseline, b.toString());
        CliRun worse = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(worse.exit()).isEqualTo(1);
        assertThat(worse.err()).contains("reg: accuracy regression <= 0: accuracy fell from");
    }

    @Test
    void aMalformedSuiteIsRefusedNamingTheFileAndField() throws Exception {
        Path s = suite("bad", "{\"name\": \"x\", \"model\": \"bundle\", \"min\": {\"accuracy\": 0.5}, \"treshold\": 1}");
        CliRun r = CliRun.of("ci-eval", s.toString(), "--threads", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(s + ": field 'checks[0].treshold' is not a known key");
        Path mixed = suite("mixed", "{\"name\": \"a\", \"model\": \"bundle\", \"min\": {\"accuracy\": 0}},"
                + "{\"name\": \"b\", \"model\": \"bundle\", \"device\": \"cuda\", \"min\": {\"accuracy\": 0}}");
        CliRun m = CliRun.of("ci-eval", mixed.toString(), "--threads", "1");
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.err()).contains("field 'checks[1].device' is cuda, but a runs on cpu");
        Path noModel = suite("nomodel", "{\"name\": \"a\", \"model\": \"nowhere\", \"min\": {\"accuracy\": 0}}");
        CliRun n = CliRun.of("ci-eval", noModel.toString(), "--threads", "1", "--out", tmp.resolve("nomodel-out").toString());
        assertThat(n.exit()).isEqualTo(2);
        assertThat(n.err()).contains("a: runs: ", "nowhere: neither an exported bundle");
    }

    @Test
    void predictReadsManyInputsFromStandardInput() {
        CliRun lines = withStdin("a fun film .\n\nthe plot is dull .\n", "predict", "--model", bundle.toString(), "--stdin",
                "--json");
        assertThat(lines.exit()).as(lines.err()).isZero();
        List<String> out = lines.out().lines().toList();
        assertThat(out).hasSize(2).allSatisfy(l -> assertThat(l).matches("\\{\"label\":\"(negative|positive)\","
                + "\"label_index\":[01],\"probabilities\":\\{\"negative\":[0-9.E-]+,\"positive\":[0-9.E-]+}}"));
        CliRun jsonl = withStdin("{\"text\": \"a fun film .\"}\n{\"text\": \"dull\"}\n", "predict", "--model", bundle.toString(),
                "--input-format", "jsonl", "-");
        assertThat(jsonl.exit()).as(jsonl.err()).isZero();
        assertThat(jsonl.out().lines()).hasSize(2);
        CliRun bad = withStdin("{\"text\": \"a fun film .\"}\n{\"txt\": \"dull\"}\n", "predict", "--model", bundle.toString(),
                "--input-format", "jsonl", "--stdin");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("standard input line 2: field 'txt' is not taken");
        // -- ends the options: a text that starts with dashes is a text
        CliRun dashes = CliRun.of("predict", "--model", bundle.toString(), "--json", "--", "--json is not an option here");
        assertThat(dashes.exit()).as(dashes.err()).isZero();
        assertThat(dashes.out().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("{\"label\":"));
    }

    private static synchronized CliRun withStdin(String input, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(args);
        } finally {
            System.setIn(saved);
        }
    }

    private static List<String> names(Document d) {
        NodeList cases = d.getElementsByTagName("testcase");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            out.add(((Element) cases.item(i)).getAttribute("name"));
        }
        return out;
    }
}
