package dev.idspam.graphs.backbone;

import java.io.IOException;

/**
 * A resolved backbone: what the artifact manifest records (id, format, location, tokenizer, Maven
 * coordinates when it came from a catalog artifact) and what {@link #load()} reads.
 *
 * @param id               catalog id ({@code minilm-l6}) or the local path as given
 * @param format           the checkpoint format, which picks the importer
 * @param model            the model file, directory or (nested) jar entry
 * @param tokenizer        the tokenizer, or null when none was found next to a local model
 * @param mavenCoordinates {@code group:artifact:version} of the catalog artifact, or null for local paths
 */
public record BackboneSource(String id, Format format, ResourceLocation model, TokenizerRef tokenizer,
                             String mavenCoordinates) {
    /** Checkpoint formats with an importer. */
    public enum Format {
        /** A BERT-family encoder exported to ONNX ({@link OnnxEncoderImporter}). */
        ONNX,
        /** A Hugging Face directory with config.json and safetensors ({@link HuggingFaceImporter}). */
        HF_SAFETENSORS,
        /** A TensorFlow checkpoint or SavedModel ({@link TfCheckpointImporter}). */
        TF_CHECKPOINT
    }

    public BackboneSource {
        if (id == null || format == null || model == null) {
            throw new IllegalArgumentException("backbone source needs an id, a format and a model location");
        }
    }

    /** Reads the weights with the importer of {@link #format()}. */
    public BackboneWeights load() throws IOException {
        return switch (format) {
            case ONNX -> OnnxEncoderImporter.read(model);
            case HF_SAFETENSORS -> HuggingFaceImporter.read(model.file());
            case TF_CHECKPOINT -> TfCheckpointImporter.read(model);
        };
    }
}
