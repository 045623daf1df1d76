package dev.idspam.server;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.BundleManifest;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle small enough to write in milliseconds: a WordPiece vocabulary of a few words and a
 * hand-built graph that gives each example {@code logits[k] = w[k] · Σ_t ids[t]·mask[t] + b[k]}, so
 * different texts give different (and exactly reproducible) outputs. It has the inputs and the
 * output of an exported bundle, and its bundle.json is written with the exporter's
 * {@link BundleManifest#describe}.
 */
final class TinyBundle {
    static final List<String> WORDS = List.of("the", "film", "is", "good", "bad", "fun", "dull", "a", "plot", "not",
            "man", "dog", "runs", "sleeps", "park", "in");

    private TinyBundle() {
    }

    /** Writes a bundle for {@code task} (SST-2: 2 labels, CB: 3 labels and pairs, STS-B: regression) into {@code dir}. */
    static Path write(Path dir, Task task, float scale) throws IOException {
        Files.createDirectories(dir);
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(WORDS);
        for (char c = 'a'; c <= 'z'; c++) {
            vocab.add(String.valueOf(c));
            vocab.add("##" + c);
        }
        vocab.addAll(List.of(".", ",", "!", "?"));
        Path vocabFile = dir.resolve("vocab.txt");
        Files.write(vocabFile, vocab, StandardCharsets.UTF_8);
        List<String> labels = task.regression() ? List.of()
                : task.equals(Task.CB) ? List.of("entailment", "contradiction", "neutral") : List.of("negative", "positive");
        int width = task.regression() ? 1 : labels.size();
        float[] w = new float[width];
        float[] b = new float[width];
        for (int k = 0; k < width; k++) {
            w[k] = scale * (k % 2 == 0 ? 0.01f : -0.01f) * (k + 1);
            b[k] = 0.1f * k;
        }
        Path model = dir.resolve(Bundle.MODEL);
        Files.write(model, model(w, b).toByteArray());
        JsonObject tok = new JsonObject();
        tok.addProperty("kind", "WORDPIECE_VOCAB");
        tok.addProperty("file", "vocab.txt");
        tok.addProperty("sha256", TokenizerFiles.sha256(vocabFile));
        tok.addProperty("lowercase", true);
        tok.addProperty("style", "BERT");
        JsonObject m = BundleManifest.describe(task, labels, 32, "test", new JsonObject(), new JsonObject(), tok,
                "none", TokenizerFiles.sha256(model), Instant.parse("2026-01-01T00:00:00Z"));
        Files.writeString(dir.resolve(Bundle.MANIFEST), Bundle.GSON.toJson(m), StandardCharsets.UTF_8);
        return dir;
    }

    private static OnnxMl.ModelProto model(float[] w, float[] b) {
        int k = w.length;
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
        for (String in : List.of(Bundle.INPUT_IDS, Bundle.ATTENTION_MASK, Bundle.TOKEN_TYPE_IDS)) {
            g.addInput(value(in, OnnxMl.TensorProto.DataType.INT64, "rows", "len"));
        }
        g.addOutput(value(Bundle.OUTPUT, OnnxMl.TensorProto.DataType.FLOAT, "rows", Integer.toString(k)));
        g.addInitializer(floats("w", new long[] {1, k}, w));
        g.addInitializer(floats("b", new long[] {k}, b));
        g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("axes").setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(1).addInt64Data(1).build());
        g.addNode(node("Mul", List.of(Bundle.INPUT_IDS, Bundle.ATTENTION_MASK), "masked"));
        g.addNode(node("Cast", List.of("masked"), "maskedf").toBuilder().addAttribute(OnnxMl.AttributeProto.newBuilder()
                .setName("to").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
        g.addNode(node("ReduceSum", List.of("maskedf", "axes"), "sum"));
        g.addNode(node("MatMul", List.of("sum", "w"), "prod"));
        g.addNode(node("Add", List.of("prod", "b"), Bundle.OUTPUT));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    private static OnnxMl.NodeProto node(String op, List<String> in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out + "_node").addAllInput(in).addOutput(out).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, String... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (String d : dims) {
            shape.addDim(d.chars().allMatch(Character::isDigit)
                    ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(Long.parseLong(d))
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static OnnxMl.TensorProto floats(String name, long[] dims, float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            bb.putFloat(x);
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(com.google.protobuf.ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}
