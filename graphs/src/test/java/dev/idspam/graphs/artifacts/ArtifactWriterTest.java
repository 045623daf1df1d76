package dev.idspam.graphs.artifacts;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactWriterTest {
    @TempDir
    Path dir;

    private static Artifacts writeTiny(Path dir) throws Exception {
        JsonObject info = new JsonObject();
        info.addProperty("backbone", "tiny-mlp");
        JsonObject tok = new JsonObject();
        tok.addProperty("id", "none");
        return TinyMlp.writer(3).modelInfo(info).tokenizer(tok)
                .optimizer(AdamWConfig.defaults().withWeightDecay(0.01f)).build().write(dir);
    }

    private static List<String> names(List<OnnxMl.ValueInfoProto> vs) {
        return vs.stream().map(OnnxMl.ValueInfoProto::getName).toList();
    }

    @Test
    void trainingGraphFollowsOrtConventions() throws Exception {
        Artifacts a = writeTiny(dir);
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(a.trainingModel()));
        assertThat(m.getIrVersion()).isEqualTo(8);
        assertThat(m.getOpsetImportList()).extracting(OnnxMl.OperatorSetIdProto::getDomain).containsExactly("", "com.microsoft");
        assertThat(names(m.getGraph().getInputList())).containsExactly("x", "y", "W0", "b0", "W1", "b1", "W2", "b2",
                "W0_grad.accumulation.buffer", "b0_grad.accumulation.buffer", "W2_grad.accumulation.buffer",
                "b2_grad.accumulation.buffer", "lazy_reset_grad");
        assertThat(names(m.getGraph().getOutputList())).containsExactly("loss", "W0_grad.accumulation.out",
                "b0_grad.accumulation.out", "W2_grad.accumulation.out", "b2_grad.accumulation.out");
        assertThat(m.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("InPlaceAccumulatorV2"))
                .extracting(n -> n.getInput(1)).containsExactly("W0_grad", "b0_grad", "W2_grad", "b2_grad");
        // the eval-only softmax is pruned from the training graph; no gradient for frozen W1
        assertThat(m.getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("Softmax"));
        assertThat(m.getGraph().getNodeList()).noneMatch(n -> n.getOutputList().contains("W1_grad"));
        OnnxMl.ValueInfoProto reset = m.getGraph().getInput(12);
        assertThat(reset.getType().getTensorType().getElemType()).isEqualTo(DType.BOOL.onnxCode());

        OnnxMl.ModelProto e = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(a.evalModel()));
        assertThat(names(e.getGraph().getInputList())).containsExactly("x", "y", "W0", "b0", "W1", "b1", "W2", "b2");
        assertThat(names(e.getGraph().getOutputList())).containsExactly("loss", "pred", "probs");
        assertThat(e.getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getName)
                .noneMatch(n -> n.startsWith("W") || n.startsWith("b"));
    }

    @Test
    void optimizerModelHasTheExactInterfaceOrtChecks() throws Exception {
        Artifacts a = writeTiny(dir);
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(a.optimizerModel()));
        assertThat(names(m.getGraph().getInputList())).containsExactlyElementsOf(ArtifactNames.OPTIMIZER_INPUTS);
        assertThat(m.getGraph().getInput(2).getType().hasSequenceType()).isTrue();
        assertThat(m.getGraph().getOutput(0).getType().getTensorType().getElemType()).isEqualTo(DType.BOOL.onnxCode());
        OnnxMl.NodeProto n = m.getGraph().getNode(0);
        assertThat(n.getOpType()).isEqualTo("AdamWOptimizer");
        assertThat(n.getDomain()).isEqualTo("com.microsoft");
        Map<String, Object> attrs = new HashMap<>();
        n.getAttributeList().forEach(at -> attrs.put(at.getName(),
                at.getType() == OnnxMl.AttributeProto.AttributeType.FLOAT ? (Object) at.getF() : (Object) at.getI()));
        assertThat(attrs).containsEntry("alpha", 0.9f).containsEntry("beta", 0.98f).containsEntry("epsilon", 1e-6f)
                .containsEntry("weight_decay", 0.01f).containsEntry("adam_mode", 1L).containsEntry("correct_bias", 1L);
    }

    @Test
    void checkpointAndManifestDescribeTheModel() throws Exception {
        Artifacts a = writeTiny(dir);
        TinyMlp model = new TinyMlp(3);
        Checkpoint c = Checkpoint.read(a.checkpoint());
        assertThat(c.trainable()).extracting(NamedTensor::name).containsExactly("W0", "b0", "W2", "b2");
        assertThat(c.frozen()).extracting(NamedTensor::name).containsExactly("W1", "b1");
        assertThat(c.parameter("W1")).isEqualTo(model.weight("W1"));
        assertThat(c.optimizer()).isEmpty();

        Manifest m = a.manifest();
        assertThat(m.trainInputNames()).containsExactly("x", "y");
        assertThat(m.trainInputs().get(0).shape()).isEqualTo(Shape.of("batch", 4));
        assertThat(m.evalOutputNames()).containsExactly("loss", "pred", "probs");
        assertThat(m.trainable().elements()).isEqualTo(4 * 6 + 6 + 6 * 3 + 3);
        assertThat(m.frozen().names()).containsExactly("W1", "b1");
        assertThat(m.model().get("backbone").getAsString()).isEqualTo("tiny-mlp");
        assertThat(m.files()).containsOnlyKeys(ArtifactNames.ARTIFACT_FILES.toArray(String[]::new));
        String json = Files.readString(dir.resolve(ArtifactNames.MANIFEST));
        assertThat(json).contains("\"beta2\": 0.98").contains("\"weightDecay\": 0.01").contains("\"batch\"");
        assertThat(Manifest.parse(json, "m")).isEqualTo(m);
    }

    @Test
    void sameInputGivesByteIdenticalFiles() throws Exception {
        writeTiny(dir.resolve("a"));
        writeTiny(dir.resolve("b"));
        for (String f : List.of(ArtifactNames.TRAINING_MODEL, ArtifactNames.EVAL_MODEL, ArtifactNames.OPTIMIZER_MODEL,
                ArtifactNames.CHECKPOINT, ArtifactNames.MANIFEST)) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
        }
    }

    /** The eval graph runs on the stock (inference) runtime with the parameters fed as inputs. */
    @Test
    void evalGraphComputesTheLoss() throws Exception {
        Artifacts a = writeTiny(dir);
        TinyMlp model = new TinyMlp(3);
        float[] x = {1, -2, 0.5f, 3, 0, 1, -1, 2};
        float[] y = {0.5f, -1, 2, 1, 0, -0.5f};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OrtSession s = env.createSession(a.evalModel().toString(), new OrtSession.SessionOptions())) {
            feeds.put("x", OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 4}));
            feeds.put("y", OnnxTensor.createTensor(env, FloatBuffer.wrap(y), new long[] {2, 3}));
            for (String p : List.of("W0", "b0", "W1", "b1", "W2", "b2")) {
                TensorData t = model.weight(p);
                feeds.put(p, OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloats()), t.dims()));
            }
            try (OrtSession.Result r = s.run(feeds)) {
                float loss = ((OnnxTensor) r.get("loss").orElseThrow()).getFloatBuffer().get(0);
                assertThat((double) loss).isCloseTo(referenceLoss(model, x, y, 2), org.assertj.core.data.Offset.offset(1e-5));
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static double referenceLoss(TinyMlp m, float[] x, float[] y, int rows) {
        double[] h = x2d(x);
        int in = TinyMlp.IN;
        h = dense(h, rows, in, m.weight("W0"), m.weight("b0"), true);
        h = dense(h, rows, TinyMlp.HIDDEN, m.weight("W1"), m.weight("b1"), true);
        h = dense(h, rows, TinyMlp.HIDDEN, m.weight("W2"), m.weight("b2"), false);
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            s += (h[i] - y[i]) * (h[i] - y[i]);
        }
        return s / rows;
    }

    private static double[] x2d(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] dense(double[] h, int rows, int in, TensorData w, TensorData b, boolean relu) {
        float[] wf = w.toFloats();
        float[] bf = b.toFloats();
        int out = bf.length;
        double[] z = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = bf[j];
                for (int k = 0; k < in; k++) {
                    s += h[r * in + k] * wf[k * out + j];
                }
                z[r * out + j] = relu ? Math.max(0, s) : s;
            }
        }
        return z;
    }

    @Test
    void rejectsNamesOrtWouldMisclassify() {
        ModelDefinition gradInput = (b, training) -> {
            Value x = b.input("x_grad", DType.FLOAT, Shape.of("batch", 2));
            Value w = b.parameter("w", TensorData.ofFloats(new long[] {2, 1}, 1, 2), true);
            Value loss = squaredSum(b, b.ops().matmul(x, w));
            return new ForwardOutputs(loss, Map.of());
        };
        assertThatThrownBy(() -> ArtifactWriter.forModel(gradInput).build().buildGraphs())
                .hasMessageContaining("user input 'x_grad' ends with '_grad'");

        ModelDefinition badOutput = (b, training) -> {
            Value x = b.input("x", DType.FLOAT, Shape.of("batch", 2));
            Value w = b.parameter("w", TensorData.ofFloats(new long[] {2, 1}, 1, 2), true);
            Value z = b.ops().matmul(x, w);
            return new ForwardOutputs(squaredSum(b, z), Map.of("z_grad.accumulation.out", z));
        };
        assertThatThrownBy(() -> ArtifactWriter.forModel(badOutput).build().buildGraphs())
                .hasMessageContaining("output 'z_grad.accumulation.out' ends with '_grad.accumulation.out'");
    }

    @Test
    void rejectsParametersThatDifferBetweenTrainingAndEval() {
        ModelDefinition swapped = (b, training) -> {
            Value x = b.input("x", DType.FLOAT, Shape.of("batch", 2));
            Value w1 = null;
            Value w2;
            if (training) {
                w1 = b.parameter("w1", TensorData.ofFloats(new long[] {2, 2}, 1, 2, 3, 4), true);
            }
            w2 = b.parameter("w2", TensorData.ofFloats(new long[] {2, 2}, 1, 0, 0, 1), true);
            if (!training) {
                w1 = b.parameter("w1", TensorData.ofFloats(new long[] {2, 2}, 1, 2, 3, 4), true);
            }
            Value loss = squaredSum(b, b.ops().matmul(b.ops().matmul(x, w1), w2));
            return new ForwardOutputs(loss, Map.of());
        };
        assertThatThrownBy(() -> ArtifactWriter.forModel(swapped).build().buildGraphs())
                .hasMessageContaining("the eval graph declares parameters [w2, w1] but the training graph [w1, w2]");
    }

    @Test
    void rejectsModelsWithoutTrainableParametersOrWithOwnOutputs() {
        ModelDefinition frozenOnly = (b, training) -> {
            Value x = b.input("x", DType.FLOAT, Shape.of("batch", 2));
            Value w = b.parameter("w", TensorData.ofFloats(new long[] {2, 1}, 1, 2), false);
            return new ForwardOutputs(squaredSum(b, b.ops().matmul(x, w)), Map.of());
        };
        assertThatThrownBy(() -> ArtifactWriter.forModel(frozenOnly).build().buildGraphs())
                .hasMessageContaining("no trainable parameter");

        ModelDefinition ownOutputs = (b, training) -> {
            Value x = b.input("x", DType.FLOAT, Shape.of("batch", 2));
            Value w = b.parameter("w", TensorData.ofFloats(new long[] {2, 1}, 1, 2), true);
            Value z = b.ops().matmul(x, w);
            b.output(z, "z");
            return new ForwardOutputs(squaredSum(b, z), Map.of());
        };
        assertThatThrownBy(() -> ArtifactWriter.forModel(ownOutputs).build().buildGraphs())
                .hasMessageContaining("must not declare graph outputs itself");
    }

    @Test
    void refusesEvalOutputsWithoutAStableOrder() {
        Value v = new Value("v", DType.FLOAT, Shape.of(1));
        assertThatThrownBy(() -> new ForwardOutputs(v, Map.of("a", v, "b", v)))
                .hasMessageContaining("pass a LinkedHashMap");
        assertThat(new ForwardOutputs(v, Map.of("a", v)).evalOutputs()).containsOnlyKeys("a");
    }

    private static Value squaredSum(GraphBuilder b, Value z) {
        return b.op("ReduceSum", List.of(dev.idspam.graphs.build.Attr.i("keepdims", 0)), b.ops().mul(z, z));
    }
}
