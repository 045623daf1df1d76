package dev.idspam.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The validated content of a bundle's {@code bundle.json}. Reading it checks every field the
 * predictor relies on, by name and type, and refuses the file with one line naming the field:
 * {@code bundle.json: field 'labels' is missing}. The field names are written here once: the
 * exporter builds the file with {@link #describe} and the predictor reads it with {@link #parse}.
 *
 * @param task        the task the model was trained on
 * @param labels      output names in logit order; one per output of a classifier, none for regression
 * @param regression  whether the single output is a score rather than class logits
 * @param pair        whether the task takes a pair of texts; bundles written before the field existed
 *                    take it from the task's definition
 * @param maxLength   the token budget per example, special tokens included
 * @param method      the method id, when recorded (informational: serving does not depend on it)
 * @param checkpoint  the checkpoint file the weights came from, when recorded
 * @param modelSha256 SHA-256 of {@code model.onnx}
 * @param tokenizer   the tokenizer reference
 * @param json        the whole object as read (informational fields: backbone, method_config, exported_at)
 */
public record BundleManifest(Task task, List<String> labels, boolean regression, boolean pair, int maxLength, String method,
                             String checkpoint, String modelSha256, TokenizerFiles.Reference tokenizer, JsonObject json) {
    /** The longest token budget a bundle may declare (no supported backbone has more positions). */
    public static final int MAX_LENGTH_LIMIT = 1 << 16;

    public BundleManifest {
        labels = List.copyOf(labels);
        json = json.deepCopy();
    }

    @Override
    public JsonObject json() {
        return json.deepCopy();
    }

    /** Parses and validates {@code text}, the content of {@code file}. */
    static BundleManifest parse(String text, Path file) throws IOException {
        JsonFields f = JsonFields.parse(text, file);
        f.oneOf("format", List.of(Bundle.FORMAT));
        int version = f.integer("format_version", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (version != Bundle.FORMAT_VERSION) {
            throw f.error("format_version", "is " + version + ", this build reads " + Bundle.FORMAT_VERSION
                    + "; re-export the bundle with this build");
        }
        Task task = task(f);
        boolean regression = f.bool("regression");
        if (regression != task.regression()) {
            throw f.error("regression", "is " + regression + ", but task " + task.shortName() + " is "
                    + (task.regression() ? "a regression" : "a classification") + " task");
        }
        List<String> labels = f.strings("labels");
        if (!regression && labels.isEmpty()) {
            throw f.error("labels", "is empty; a classifier needs one label per output");
        }
        if (regression && !labels.isEmpty()) {
            throw f.error("labels", "must be empty for the regression task " + task.shortName());
        }
        boolean pair = f.has("pair") ? f.bool("pair") : task.pair();
        if (pair != task.pair()) {
            throw f.error("pair", "is " + pair + ", but task " + task.shortName() + " takes "
                    + (task.pair() ? "a pair of texts" : "a single text"));
        }
        int maxLength = f.integer("max_length", 2, MAX_LENGTH_LIMIT);
        if (f.has("backbone")) {
            JsonFields backbone = f.object("backbone");
            if (backbone.has("max_positions")) {
                int positions = backbone.integer("max_positions", 1, Integer.MAX_VALUE);
                if (maxLength > positions) {
                    throw f.error("max_length", "is " + maxLength + ", more than the backbone's " + positions + " positions");
                }
            }
        }
        String method = f.has("method") ? f.string("method") : null;
        String checkpoint = f.has("checkpoint") ? f.string("checkpoint") : null;
        f.oneOf("output", List.of(Bundle.OUTPUT));
        String sha = TokenizerFiles.sha256Field(f, "model_sha256");
        TokenizerFiles.Reference tokenizer = TokenizerFiles.Reference.parse(f.object("tokenizer"));
        return new BundleManifest(task, labels, regression, pair, maxLength, method, checkpoint, sha, tokenizer, f.json());
    }

    /**
     * The content of {@code bundle.json} for a model exported for {@code task}; {@code methodConfig},
     * {@code backbone} and the tokenizer reference are copied from the artifacts' manifest as they are.
     */
    public static JsonObject describe(Task task, List<String> labels, int maxLength, String method, JsonElement methodConfig,
                                      JsonElement backbone, JsonObject tokenizer, String checkpoint, String modelSha256,
                                      Instant exportedAt) {
        JsonArray labelArray = new JsonArray();
        labels.forEach(labelArray::add);
        JsonObject m = new JsonObject();
        m.addProperty("format", Bundle.FORMAT);
        m.addProperty("format_version", Bundle.FORMAT_VERSION);
        m.addProperty("task", task.shortName());
        task.customSpec().ifPresent(c -> m.add("custom_task", c.toJson()));
        m.add("labels", labelArray);
        m.addProperty("regression", task.regression());
        m.addProperty("pair", task.pair());
        m.addProperty("max_length", maxLength);
        m.addProperty("method", method);
        m.add("method_config", methodConfig);
        m.add("backbone", backbone);
        m.add("tokenizer", tokenizer);
        m.addProperty("output", Bundle.OUTPUT);
        m.addProperty("checkpoint", checkpoint);
        m.addProperty("model_sha256", modelSha256);
        m.addProperty("exported_at", exportedAt.toString());
        return m;
    }

    private static Task task(JsonFields f) throws IOException {
        if (f.has("custom_task")) {
            // a model trained on a user's own files: the definition travels with it (labels in order)
            Task t = Task.custom(dev.idspam.datasets.task.CustomTask.fromJson(f.object("custom_task").json(),
                    f.file().toAbsolutePath().getParent(), f.file() + ": field 'custom_task'"));
            if (!t.shortName().equals(f.string("task"))) {
                throw f.error("task", "is '" + f.string("task") + "', but custom_task is named '" + t.shortName() + "'");
            }
            return t;
        }
        return Task.parse(f.oneOf("task", Arrays.stream(Task.values()).map(Task::shortName).toList()));
    }
}
