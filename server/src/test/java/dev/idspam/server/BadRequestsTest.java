package dev.idspam.server;

import dev.idspam.datasets.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-requests table: each row is a request, the status it must get and a pattern its one-line
 * message must match. Every limit and every refusal of the API has a row; no row may give 500, and
 * 429 and 503 carry Retry-After.
 */
class BadRequestsTest {
    @TempDir
    static Path dir;
    /** Default limits, serving sst2 (single text) and cb (pairs). */
    static InferenceServer plain;
    /** Tight limits: 300-byte bodies, 3 inputs of 40 characters, 2 queued examples, 50 ms timeout (batches wait 2 s). */
    static InferenceServer tight;

    record Row(String what, InferenceServer server, String method, String path, byte[] body, int status, String message) {
        Row(String what, InferenceServer server, String path, String body, int status, String message) {
            this(what, server, "POST", path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), status, message);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("sst2", TinyBundle.write(dir.resolve("sst2"), Task.SST2, 1));
        models.put("cb", TinyBundle.write(dir.resolve("cb"), Task.CB, 1));
        plain = InferenceServer.start(models, ServerConfig.defaults().withPort(0));
        tight = InferenceServer.start(Map.of("sst2", dir.resolve("sst2")), ServerConfig.defaults().withPort(0)
                .withMaxBodyBytes(300).withMaxInputs(3).withMaxChars(40).withMaxQueue(2).withTimeoutMs(50).withMaxWaitMs(2000));
    }

    @AfterAll
    static void stop() {
        plain.close();
        tight.close();
    }

    static List<Row> rows() {
        String p = "/v1/models/sst2/predict";
        List<Row> t = new ArrayList<>();
        t.add(new Row("not JSON", plain, p, "{\"inputs\": [", 400, "the request body is not valid JSON: .*"));
        t.add(new Row("text after the JSON", plain, p, "{\"inputs\": []} {}", 400, "the request body is not valid JSON: .*"));
        t.add(new Row("empty body", plain, p, "", 400, "the request body must be a JSON object with field 'inputs'"));
        t.add(new Row("an array", plain, p, "[]", 400, "the request body must be a JSON object with field 'inputs'"));
        t.add(new Row("no inputs", plain, p, "{}", 400, "field 'inputs' is missing"));
        t.add(new Row("unknown field", plain, p, "{\"inputs\": [], \"top_k\": 3}", 400, "field 'top_k' is not known \\(known: inputs\\)"));
        t.add(new Row("inputs not an array", plain, p, "{\"inputs\": \"x\"}", 400, "field 'inputs' must be an array .*"));
        t.add(new Row("input not an object", plain, p, "{\"inputs\": [1]}", 400, "field 'inputs\\[0\\]' must be an object .*"));
        t.add(new Row("unknown input field", plain, p, "{\"inputs\": [{\"txt\": \"a\"}]}", 400,
                "field 'inputs\\[0\\].txt' is not known \\(known: text, text_pair\\)"));
        t.add(new Row("no text", plain, p, "{\"inputs\": [{\"text\": \"a\"}, {}]}", 400, "field 'inputs\\[1\\].text' is missing"));
        t.add(new Row("text a number", plain, p, "{\"inputs\": [{\"text\": 5}]}", 400, "field 'inputs\\[0\\].text' must be a string"));
        t.add(new Row("blank text", plain, p, "{\"inputs\": [{\"text\": \"  \"}]}", 400, "field 'inputs\\[0\\].text' is empty"));
        t.add(new Row("pair for a single-text model", plain, p, "{\"inputs\": [{\"text\": \"a\", \"text_pair\": \"b\"}]}", 400,
                "field 'inputs\\[0\\].text_pair' is not taken: model sst2 \\(task sst2\\) takes a single text"));
        t.add(new Row("no pair for a pair model", plain, "/v1/models/cb/predict", "{\"inputs\": [{\"text\": \"a\"}]}", 400,
                "field 'inputs\\[0\\].text_pair' is missing: model cb \\(task cb\\) takes a pair of texts"));
        t.add(new Row("blank pair", plain, "/v1/models/cb/predict", "{\"inputs\": [{\"text\": \"a\", \"text_pair\": \"\"}]}", 400,
                "field 'inputs\\[0\\].text_pair' is empty"));
        t.add(new Row("unknown model", plain, "/v1/models/nope/predict", "{\"inputs\": []}", 404,
                "no model named 'nope' \\(served: sst2, cb\\)"));
        t.add(new Row("models not an array", plain, "/v1/predict", "{\"models\": \"cb\", \"inputs\": []}", 400,
                "field 'models' must be an array of model names"));
        t.add(new Row("model name not a string", plain, "/v1/predict", "{\"models\": [1], \"inputs\": []}", 400,
                "field 'models\\[0\\]' must be a string"));
        t.add(new Row("no models named", plain, "/v1/predict", "{\"models\": [], \"inputs\": []}", 400, "field 'models' is empty; .*"));
        t.add(new Row("unknown model among several", plain, "/v1/predict", "{\"models\": [\"sst2\", \"x\"], \"inputs\": []}", 404,
                "no model named 'x' .*"));
        t.add(new Row("pair to a mix of models", plain, "/v1/predict", "{\"inputs\": [{\"text\": \"a\", \"text_pair\": \"b\"}]}", 400,
                "field 'inputs\\[0\\].text_pair' is not taken: model sst2 .*"));
        t.add(new Row("reload of an unknown model", plain, "/v1/models/nope/reload", "", 404, "no model named 'nope' .*"));
        t.add(new Row("not UTF-8", plain, "POST", p, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400,
                "the request body is not valid UTF-8"));
        t.add(new Row("body over the limit", tight, p, "{\"inputs\": [{\"text\": \"" + "a ".repeat(200) + "\"}]}", 413,
                "the request body has \\d+ bytes; at most 300"));
        t.add(new Row("too many inputs", tight, p, "{\"inputs\": [{\"text\": \"a\"}, {\"text\": \"a\"}, {\"text\": \"a\"}, {\"text\": \"a\"}]}", 413,
                "field 'inputs' has 4 entries; at most 3 per request"));
        t.add(new Row("text over the limit", tight, p, "{\"inputs\": [{\"text\": \"" + "a".repeat(41) + "\"}]}", 413,
                "field 'inputs\\[0\\].text' has 41 characters; at most 40"));
        t.add(new Row("queue full", tight, p, "{\"inputs\": [{\"text\": \"a\"}, {\"text\": \"a\"}, {\"text\": \"a\"}]}", 429,
                "the queue of this model is full \\(2 examples waiting\\); retry later"));
        t.add(new Row("past the timeout", tight, p, "{\"inputs\": [{\"text\": \"a\"}]}", 503,
                "no prediction within 50 ms \\(--timeout-ms\\); the server is busy, retry later"));
        return t;
    }

    @Test
    void everyBadRequestGetsItsStatusAndAOneLineMessage() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Row row : rows()) {
            HttpResponse<String> r = Http.post(row.server().port(), row.path(), HttpRequest.BodyPublishers.ofByteArray(row.body()));
            String error = r.body().startsWith("{") ? com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject()
                    .get("error").getAsString() : r.body();
            boolean retry = r.headers().firstValue("Retry-After").isPresent();
            if (r.statusCode() != row.status() || !error.matches(row.message()) || retry != (row.status() == 429 || row.status() == 503)
                    || error.contains("Exception") || error.contains("\n")) {
                failures.add(row.what() + ": got " + r.statusCode() + " " + error + (retry ? " (Retry-After)" : "")
                        + "; want " + row.status() + " " + row.message());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void oddButValidTextsAreAnswered() throws Exception {
        String odd = "{\"inputs\": [{\"text\": \"\\u0000 \\u2603 \\ud83d\\ude00 \\u200b\"}, {\"text\": \""
                + "the film ".repeat(1000) + "\"}, {\"text\": \"\\ud800 lone surrogate\"}]}";
        HttpResponse<String> r = Http.post(plain.port(), "/v1/models/sst2/predict", odd);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.get(plain.port(), "/metrics").body()).contains("idspam_errors_total{status=\"400\"}");
    }
}
