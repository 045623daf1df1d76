package dev.idspam.graphs.artifacts;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.idspam.graphs.io.JsonRecords;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;

/**
 * The {@code model} section of a task model's {@code manifest.json}: what the artifacts were
 * generated for. Written once when the artifacts are generated, read by every later step (train,
 * evaluate, export, experiments). Field names on disk are the snake_case forms of the component
 * names ({@code maxLength} → {@code max_length}), in component order; the manifest's content digest
 * covers them, so the order is part of the format.
 *
 * @param backboneOrigin where the backbone weights were loaded from, as the loader put it
 * @param method         method id ({@code idspam}, {@code lora}, ...)
 * @param methodConfig   the method's own settings, as the method wrote them
 * @param promptTokens   soft-prompt tokens the method prepends (0 for methods without a prompt)
 * @param headOutputs    outputs of the task head (classes, or 1 for regression)
 * @param regression     whether the head is a regression head
 * @param headDropout    dropout before the head, in [0, 1)
 * @param seed           seed of the new tensors' initial values
 * @param backbone       the frozen backbone
 * @param task           task short name ({@code sst2}, {@code cb}, ...)
 * @param labels         class labels in output order (empty for regression)
 * @param maxLength      the token budget for training and inference
 * @param customTask     the definition of a custom task (files, columns, labels), as the datasets
 *                       module writes it; null for a built-in task
 */
public record ModelInfo(String backboneOrigin, String method, JsonObject methodConfig, int promptTokens,
                        int headOutputs, boolean regression, double headDropout, long seed, BackboneInfo backbone,
                        String task, List<String> labels, int maxLength, JsonObject customTask) {

    /**
     * The backbone an artifacts folder was generated from.
     *
     * @param id            catalog id or the local path given
     * @param format        weight format (enum name)
     * @param location      where the weights were read from
     * @param maven         Maven coordinates of the weights, or null when they came from elsewhere
     * @param family        architecture family (enum name)
     * @param layers        encoder layers
     * @param hidden        hidden size
     * @param heads         attention heads per layer
     * @param intermediate  feed-forward size
     * @param vocabSize     token vocabulary size
     * @param maxPositions  position embeddings, the longest input in tokens
     * @param typeVocabSize token-type vocabulary size (0 when the family has none)
     * @param parameters    parameter count of the encoder
     */
    public record BackboneInfo(String id, String format, String location, String maven, String family, int layers,
                               int hidden, int heads, int intermediate, int vocabSize, int maxPositions,
                               int typeVocabSize, long parameters) {
        /** The backbone as written into the manifest and copied into bundles. */
        public JsonObject toJson() {
            return GSON.toJsonTree(this).getAsJsonObject();
        }
    }

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).disableHtmlEscaping().create();

    public ModelInfo {
        methodConfig = methodConfig == null ? null : methodConfig.deepCopy();
        customTask = customTask == null ? null : customTask.deepCopy();
        labels = labels == null ? null : Collections.unmodifiableList(new ArrayList<>(labels));
    }

    @Override
    public JsonObject methodConfig() {
        return methodConfig == null ? null : methodConfig.deepCopy();
    }

    @Override
    public JsonObject customTask() {
        return customTask == null ? null : customTask.deepCopy();
    }

    /** The section as written into the manifest (absent values left out). */
    public JsonObject toJson() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    /** The model section of the verified artifacts in {@code artifacts}. */
    public static ModelInfo of(Artifacts artifacts) throws ArtifactFormatException {
        return parse(artifacts.manifest().model(), artifacts.directory().resolve(ArtifactNames.MANIFEST));
    }

    /**
     * Binds and checks a model section read from {@code manifest}. Errors are one line naming the
     * file and the field ({@code model.max_length}). Members this build does not know are ignored.
     */
    public static ModelInfo parse(JsonObject model, Path manifest) throws ArtifactFormatException {
        ModelInfo m;
        try {
            m = JsonRecords.bind(GSON, model, ModelInfo.class);
        } catch (JsonRecords.BindException e) {
            throw new ArtifactFormatException(manifest + ": field 'model" + (e.field().isEmpty() ? "" : "." + e.field()) + "' "
                    + e.getMessage() + "; regenerate the artifacts", e);
        }
        require(m.method(), "method", manifest);
        require(m.methodConfig, "method_config", manifest);
        require(m.backbone(), "backbone", manifest);
        require(m.backbone().id(), "backbone.id", manifest);
        require(m.task(), "task", manifest);
        require(m.labels, "labels", manifest);
        if (m.labels.contains(null) || new HashSet<>(m.labels).size() != m.labels.size()) {
            throw new ArtifactFormatException(manifest + ": field 'model.labels' must list distinct strings, found "
                    + m.labels + "; regenerate the artifacts");
        }
        if (m.maxLength() < 1) {
            throw new ArtifactFormatException(manifest + ": field 'model.max_length' is missing or not a positive number;"
                    + " regenerate the artifacts");
        }
        return m;
    }

    private static void require(Object value, String field, Path manifest) throws ArtifactFormatException {
        if (value == null) {
            throw new ArtifactFormatException(manifest + ": field 'model." + field + "' is missing; regenerate the artifacts");
        }
    }
}
