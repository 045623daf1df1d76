package dev.idspam.tools.badinput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.server.InferenceServer;
import dev.idspam.server.ServerConfig;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own data end to end: a CSV with string labels ({@code neg}/{@code pos}, made from real
 * SST-2 rows) through generate, train, export, eval, predict and the HTTP server, with the names
 * shown everywhere; TSV and JSON lines; a dev split cut by seed; regression; and the errors.
 */
class CustomTaskTest {
    @TempDir
    static Path tmp;
    private static Path csvTrain;
    private static Path csvDev;
    private static Path run;
    private static Path bundle;

    /** Rows of the repository's SST-2 file as (sentence, 0/1). */
    private static List<String[]> sst2(String file, int rows) throws Exception {
        Path p = Path.of(System.getProperty("idspam.data", "../data")).resolve("SST-2").resolve(file);
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8).subList(1, rows + 1)) {
            out.add(line.split("\t"));
        }
        return out;
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @BeforeAll
    static void trainOnACsvWithStringLabels() throws Exception {
        TinyRun.writeBackbone(tmp.resolve("backbone"), 11);
        csvTrain = tmp.resolve("reviews-train.csv");
        csvDev = tmp.resolve("reviews-dev.csv");
        for (Path f : List.of(csvTrain, csvDev)) {
            StringBuilder sb = new StringBuilder("id,review,sentiment\n");
            int i = 0;
            for (String[] r : sst2(f == csvTrain ? "train.tsv" : "dev.tsv", f == csvTrain ? 300 : 80)) {
                sb.append(i++).append(',').append(csv(r[0])).append(',').append(r[1].equals("1") ? "pos" : "neg").append('\n');
            }
            Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        }
        run = tmp.resolve("run");
        bundle = tmp.resolve("bundle");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--max-length", "32", "--task", "custom",
                "--train", csvTrain.toString(), "--dev", csvDev.toString(), "--text-col", "review", "--label-col", "sentiment",
                "--task-name", "reviews", "--out", run.toString());
        ok("train", "--artifacts", run.toString(), "--epochs", "1", "--batch-size", "16", "--threads", "1");
        ok("export", "--artifacts", run.toString(), "--out", bundle.toString(), "--threads", "1");
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as("idspam %s\n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s.strip()).getAsJsonObject();
    }

    @Test
    void theLabelNamesTravelIntoManifestBundlePredictEvalAndServer() throws Exception {
        JsonObject manifest = json(Files.readString(run.resolve("manifest.json"))).getAsJsonObject("model");
        assertThat(manifest.get("task").getAsString()).isEqualTo("reviews");
        assertThat(manifest.get("labels").toString()).isEqualTo("[\"neg\",\"pos\"]");
        assertThat(manifest.getAsJsonObject("custom_task").get("label_col").getAsString()).isEqualTo("sentiment");
        JsonObject b = json(Files.readString(bundle.resolve("bundle.json")));
        assertThat(b.get("labels").toString()).isEqualTo("[\"neg\",\"pos\"]");
        assertThat(b.get("task").getAsString()).isEqualTo("reviews");

        JsonObject p = json(ok("predict", "--model", bundle.toString(), "--json", "a gorgeous , witty film .").out());
        assertThat(p.get("label").getAsString()).isIn("neg", "pos");
        assertThat(p.getAsJsonObject("probabilities").keySet()).containsExactly("neg", "pos");

        JsonObject report = json(Files.readString(run.resolve("report.json")));
        JsonObject e = json(ok("eval", "--model", bundle.toString(), "--json", "--threads", "1").out());
        assertThat(e.get("task").getAsString()).isEqualTo("reviews");
        assertThat(e.get("examples").getAsInt()).isEqualTo(80);
        assertThat(e.getAsJsonObject("metrics").keySet()).containsExactly("accuracy", "f1_macro");
        assertThat(e.getAsJsonObject("metrics")).isEqualTo(report.getAsJsonObject("dev_metrics"));

        try (InferenceServer server = InferenceServer.start(Map.of("reviews", bundle), ServerConfig.defaults().withPort(0))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/v1/models/reviews/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"text\":\"a dull , lifeless plot .\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject pred = json(r.body()).getAsJsonArray("predictions").get(0).getAsJsonObject();
            assertThat(pred.get("label").getAsString()).isIn("neg", "pos");
            assertThat(pred.getAsJsonObject("probabilities").keySet()).containsExactly("neg", "pos");
        }
    }

    @Test
    void tsvAndJsonLinesWithADevSplitCutBySeed() throws Exception {
        Path tsv = tmp.resolve("all.tsv");
        Path jsonl = tmp.resolve("all.jsonl");
        StringBuilder t = new StringBuilder("text\tlabel\n");
        StringBuilder j = new StringBuilder();
        for (String[] r : sst2("train.tsv", 60)) {
            String label = r[1].equals("1") ? "pos" : "neg";
            t.append(r[0]).append('\t').append(label).append('\n');
            JsonObject o = new JsonObject();
            o.addProperty("text", r[0]);
            o.addProperty("label", label);
            j.append(o).append('\n');
        }
        Files.writeString(tsv, t.toString());
        Files.writeString(jsonl, j.toString());
        List<String> devs = new ArrayList<>();
        for (Path f : List.of(tsv, jsonl, tsv)) {
            Path out = tmp.resolve("split-" + devs.size());
            ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe", "--max-length", "32",
                    "--task", "custom", "--train", f.toString(), "--dev-split", "0.25", "--seed", "7", "--text-col", "text",
                    "--label-col", "label", "--out", out.toString());
            Path preds = tmp.resolve("preds-" + devs.size() + ".jsonl");
            ok("eval", "--artifacts", out.toString(), "--predictions", preds.toString(), "--threads", "1");
            devs.add(Files.readAllLines(preds).stream().map(l -> json(l).get("gold").getAsString()).toList().toString());
            assertThat(Files.readAllLines(preds)).hasSize(15);
        }
        // the same rows are held out from the TSV and the JSON-lines copy of the same data
        assertThat(devs.get(0)).isEqualTo(devs.get(1)).isEqualTo(devs.get(2));
    }

    @Test
    void aRegressionTaskReportsCorrelations() throws Exception {
        Path f = tmp.resolve("scores.csv");
        StringBuilder sb = new StringBuilder("a,b,score\n");
        int i = 0;
        for (String[] r : sst2("train.tsv", 40)) {
            sb.append(csv(r[0])).append(',').append(csv("the film is " + (i % 3 == 0 ? "good" : "bad"))).append(',')
                    .append(i++ % 5).append('\n');
        }
        Files.writeString(f, sb.toString());
        Path out = tmp.resolve("regression");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe", "--max-length", "32",
                "--task", "custom", "--train", f.toString(), "--dev-split", "0.5", "--text-col", "a", "--text-pair-col", "b",
                "--label-col", "score", "--regression", "--out", out.toString());
        JsonObject e = json(ok("eval", "--artifacts", out.toString(), "--json", "--threads", "1").out());
        assertThat(e.getAsJsonObject("metrics").keySet()).containsExactly("pearson", "spearman");
    }

    @Test
    void aSpecFileFixesTheLabelOrderAndTrainReadsTheRecordedFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("spec"));
        Files.copy(csvTrain, dir.resolve("train.csv"));
        Files.copy(csvDev, dir.resolve("dev.csv"));
        // paths relative to the spec file; labels listed against their sorted order
        Files.writeString(dir.resolve("task.json"), "{\"name\": \"reviews-spec\", \"train\": \"train.csv\", \"dev\":"
                + " \"dev.csv\", \"text_col\": \"review\", \"label_col\": \"sentiment\", \"labels\": [\"pos\", \"neg\"]}");
        Path out = tmp.resolve("spec-run");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe", "--max-length", "32",
                "--task-spec", dir.resolve("task.json").toString(), "--out", out.toString());
        JsonObject model = json(Files.readString(out.resolve("manifest.json"))).getAsJsonObject("model");
        assertThat(model.get("task").getAsString()).isEqualTo("reviews-spec");
        assertThat(model.get("labels").toString()).isEqualTo("[\"pos\",\"neg\"]");
        assertThat(model.getAsJsonObject("custom_task").get("train").getAsString())
                .isEqualTo(dir.resolve("train.csv").toAbsolutePath().normalize().toString());

        // index 0 is now pos: predictions pair label_index with the spec's order; gold shows the file's names
        Path preds = tmp.resolve("spec-preds.jsonl");
        ok("eval", "--artifacts", out.toString(), "--predictions", preds.toString(), "--threads", "1");
        List<JsonObject> rows = Files.readAllLines(preds).stream().map(CustomTaskTest::json).toList();
        List<String> dev = Files.readAllLines(csvDev).subList(1, 81).stream().map(l -> l.substring(l.lastIndexOf(',') + 1)).toList();
        assertThat(rows.stream().map(o -> o.get("gold").getAsString()).toList()).isEqualTo(dev);
        for (JsonObject o : rows) {
            assertThat(o.get("label").getAsString()).isEqualTo(o.get("label_index").getAsInt() == 0 ? "pos" : "neg");
            assertThat(o.getAsJsonObject("probabilities").keySet()).containsExactly("pos", "neg");
        }

        // train takes no task options and reads the recorded files: a moved file is reported by its recorded path
        Files.move(dir.resolve("train.csv"), dir.resolve("moved.csv"));
        CliRun t = CliRun.of("train", "--artifacts", out.toString(), "--threads", "1");
        assertThat(t.exit()).as(t.err()).isEqualTo(2);
        assertThat(t.err()).contains(dir.resolve("train.csv").toAbsolutePath().normalize().toString())
                .contains("is not there (the path recorded when the artifacts were generated)");
        CliRun override = CliRun.of("train", "--artifacts", out.toString(), "--train", dir.resolve("moved.csv").toString());
        assertThat(override.exit()).isEqualTo(2);
    }

    @Test
    void badFilesAndOptionsAreRefusedNamingFileLineAndField() throws Exception {
        Path devWithNewLabel = tmp.resolve("dev-new-label.csv");
        Files.writeString(devWithNewLabel, "id,review,sentiment\n0,a fine film,pos\n1,an odd film,mixed\n");
        Path out = tmp.resolve("bad-label");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe", "--max-length", "32",
                "--task", "custom", "--train", csvTrain.toString(), "--dev", devWithNewLabel.toString(), "--text-col", "review",
                "--label-col", "sentiment", "--out", out.toString());
        CliRun r = CliRun.of("eval", "--artifacts", out.toString(), "--threads", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(devWithNewLabel + " line 3: column 'sentiment': label 'mixed' is not one of the task's"
                + " labels [neg, pos]");

        CliRun missing = CliRun.of("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe",
                "--task", "custom", "--train", csvTrain.toString(), "--dev", csvDev.toString(), "--text-col", "text",
                "--label-col", "sentiment", "--out", tmp.resolve("x").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("line 1: no column 'text'; the header has [id, review, sentiment]");

        Path empty = tmp.resolve("empty-text.csv");
        Files.writeString(empty, "review,sentiment\ngood,pos\n\"\",neg\n");
        CliRun e = CliRun.of("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "probe",
                "--max-length", "32", "--task", "custom", "--train", empty.toString(), "--dev", empty.toString(), "--text-col", "review",
                "--label-col", "sentiment", "--out", tmp.resolve("y").toString());
        assertThat(e.exit()).as(e.err()).isZero(); // labels come from the label column; the texts are read by train
        CliRun t = CliRun.of("train", "--artifacts", tmp.resolve("y").toString(), "--threads", "1");
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).contains(empty + " line 3: column 'review' is empty; expected a text");

        CliRun builtIn = CliRun.of("generate", "--task", "sst2", "--text-col", "x", "--out", tmp.resolve("z").toString());
        assertThat(builtIn.exit()).isEqualTo(2);
        assertThat(builtIn.err()).contains("--text-col applies to --task custom only");
        CliRun noTrain = CliRun.of("generate", "--task", "custom", "--out", tmp.resolve("z").toString());
        assertThat(noTrain.exit()).isEqualTo(2);
        assertThat(noTrain.err()).contains("--task custom needs --train");
    }
}
