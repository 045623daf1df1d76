package dev.idspam.tools.badinput;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Device;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The export's graph options on a tiny ID-SPAM model (m = 1 of 2 layers): the default fuses every
 * encoder layer, the last one built for the head's row alone included, into ONNX Runtime's
 * MultiHeadAttention, SkipLayerNormalization and BiasGelu, keeping every weight by name, and gives
 * the plain graph's logits within 1e-5, in a full bundle and in an adapter bundle (whose shared
 * prefix and suffix are fused too); {@code --quantize int8} turns every backbone matrix product into
 * an int8 one and stays close, and is refused for adapter bundles; a LoRA model's layers, whose
 * projections the method changed, stay plain.
 */
class ExportGraphOptionsTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);
    private static final List<String> TEXTS = List.of("a fun film .", "the plot is thin and the acting is worse",
            "it is good", "an awful , boring mess of a movie that never ends");
    private static final int LAYERS = 2; // the tiny backbone's

    @TempDir
    static Path tmp;
    private static Path run;

    @BeforeAll
    static void generate() throws Exception {
        TinyBundles.build(tmp, "sst2");
        run = tmp.resolve("sst2-run");
    }

    /** Op type → count; and no node of a plain encoder layer is left but its kept Q/K/V products and the read-row Slice. */
    private static Map<String, Integer> ops(Path model) throws IOException {
        return ops(model, true);
    }

    private static Map<String, Integer> ops(Path model, boolean fused) throws IOException {
        Map<String, Integer> c = new TreeMap<>();
        for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model)).getGraph().getNodeList()) {
            c.merge(n.getOpType(), 1, Integer::sum);
            if (fused && n.getName().startsWith("encoder/layer")) {
                boolean projection = (n.getOpType().equals("MatMul") || n.getOpType().equals("Add"))
                        && n.getInputList().stream().anyMatch(in -> in.matches("layer\\.\\d+\\.attn\\.[qkv]\\.[wb]"));
                boolean readRow = n.getOpType().equals("Slice");
                assertThat(projection || readRow).as("plain node %s (%s) left in %s", n.getName(), n.getOpType(), model).isTrue();
            }
        }
        return c;
    }

    private static JsonObject graph(Path bundle) throws IOException {
        return JsonParser.parseString(Files.readString(bundle.resolve("bundle.json"))).getAsJsonObject().getAsJsonObject("graph");
    }

    @Test
    void fusedAndInt8GraphsGiveThePlainGraphsLabels() throws IOException {
        Path plain = Export.run(run, null, tmp.resolve("plain"), RUN, false, Export.GraphOptions.PLAIN).directory();
        Path fused = Export.run(run, null, tmp.resolve("fused"), RUN).directory(); // the default
        Path int8 = Export.run(run, null, tmp.resolve("int8"), RUN, false, new Export.GraphOptions(false, true)).directory();
        Path both = Export.run(run, null, tmp.resolve("both"), RUN, false, new Export.GraphOptions(true, true)).directory();
        assertThat(graph(fused).get("fused").getAsBoolean()).isTrue();
        assertThat(graph(fused).get("fused_layers").getAsInt()).isEqualTo(LAYERS);
        assertThat(graph(fused).get("quantize").getAsString()).isEqualTo("none");
        assertThat(graph(plain).get("fused").getAsBoolean()).isFalse();
        assertThat(graph(plain).get("fused_layers").getAsInt()).isZero();

        Map<String, Integer> f = ops(fused.resolve("model.onnx"));
        Map<String, Integer> pl = ops(plain.resolve("model.onnx"), false);
        // the encoder's softmaxes and LayerNorms are gone; the generator's own attention and the embedding LayerNorm stay
        assertThat(f).containsEntry("MultiHeadAttention", LAYERS).containsEntry("SkipLayerNormalization", 2 * LAYERS)
                .containsEntry("BiasGelu", LAYERS).containsEntry("Softmax", pl.get("Softmax") - LAYERS)
                .containsEntry("LayerNormalization", 1);
        assertThat(pl).containsEntry("LayerNormalization", 1 + 2 * LAYERS).doesNotContainKey("MultiHeadAttention");
        Map<String, Integer> q = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(int8.resolve("model.onnx"))).getGraph()
                .getNodeList().stream().collect(java.util.stream.Collectors.toMap(OnnxMl.NodeProto::getOpType, n -> 1,
                        Integer::sum, TreeMap::new));
        assertThat(q).containsEntry("DynamicQuantizeMatMul", 6 * LAYERS); // q, k, v, out, ffn in, ffn out

        try (Predictor p = Predictor.open(plain); Predictor pf = Predictor.open(fused); Predictor pq = Predictor.open(int8);
             Predictor pb = Predictor.open(both)) {
            List<Predictor.Prediction> ref = p.predictAll(TEXTS, null);
            List<Predictor.Prediction> rf = pf.predictAll(TEXTS, null);
            List<Predictor.Prediction> rq = pq.predictAll(TEXTS, null);
            List<Predictor.Prediction> rb = pb.predictAll(TEXTS, null);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] x = ref.get(i).logits();
                for (int k = 0; k < x.length; k++) {
                    assertThat(rf.get(i).logits()[k]).as("fused text %d logit %d", i, k).isCloseTo(x[k], within(1e-5f));
                    assertThat(rq.get(i).logits()[k]).as("int8 text %d logit %d", i, k).isCloseTo(x[k], within(0.05f));
                    assertThat(rb.get(i).logits()[k]).as("fused int8 text %d logit %d", i, k).isCloseTo(x[k], within(0.05f));
                }
                assertThat(rf.get(i).label()).isEqualTo(ref.get(i).label());
            }
        }
    }

    @Test
    void adapterBundlesAreFusedTooWithTheirSharedPrefixAndSuffix() throws IOException {
        Path plain = Export.run(run, null, tmp.resolve("full-plain"), RUN, false, Export.GraphOptions.PLAIN).directory();
        Path adapters = tmp.resolve("adapters");
        Path fused = Export.run(run, null, adapters.resolve("fused"), RUN, true).directory();
        Path unfused = Export.run(run, null, adapters.resolve("plain"), RUN, true, Export.GraphOptions.PLAIN).directory();
        Path second = Export.run(run, null, adapters.resolve("fused-2"), RUN, true).directory(); // shares the fused prefix
        assertThat(graph(fused).get("fused_layers").getAsInt()).isEqualTo(LAYERS);
        JsonObject prefix = JsonParser.parseString(Files.readString(fused.resolve("bundle.json"))).getAsJsonObject()
                .getAsJsonObject("shared_prefix");
        Path prefixFile = adapters.resolve("backbones").resolve(prefix.get("file").getAsString());
        // m = 1: layer 0 in the shared prefix, layer 1 (the read row's) in the suffix, each one MultiHeadAttention
        assertThat(ops(prefixFile)).containsEntry("MultiHeadAttention", 1).doesNotContainKey("Softmax");
        assertThat(ops(fused.resolve("suffix.onnx"))).containsEntry("MultiHeadAttention", 1)
                .containsEntry("Softmax", 1); // the prompt generator's own attention
        assertThat(Files.size(fused.resolve("model.onnx"))).as("the fused adapter graph holds no backbone weight")
                .isLessThan(Files.size(plain.resolve("model.onnx")) / 2);
        try (Predictor p = Predictor.open(plain); Predictor pa = Predictor.open(fused); Predictor pu = Predictor.open(unfused);
             Predictor p2 = Predictor.open(second)) {
            dev.idspam.serving.MultiTaskPredictor mt = dev.idspam.serving.MultiTaskPredictor.of(List.of(pa, p2));
            assertThat(mt.groups()).as("two fused adapters of one backbone and layer share one prefix").hasSize(1);
            List<Predictor.Prediction> ref = p.predictAll(TEXTS, null);
            List<Predictor.Prediction> ra = pa.predictAll(TEXTS, null);
            List<Predictor.Prediction> ru = pu.predictAll(TEXTS, null);
            List<List<Predictor.Prediction>> shared = mt.predictAll(TEXTS, null);
            for (int i = 0; i < TEXTS.size(); i++) {
                for (int k = 0; k < ref.get(i).logits().length; k++) {
                    float x = ref.get(i).logits()[k];
                    assertThat(ra.get(i).logits()[k]).as("fused adapter text %d logit %d", i, k).isCloseTo(x, within(1e-5f));
                    assertThat(ru.get(i).logits()[k]).as("plain adapter text %d logit %d", i, k).isCloseTo(x, within(1e-5f));
                    for (List<Predictor.Prediction> task : shared) {
                        assertThat(task.get(i).logits()[k]).as("shared fused prefix + suffix, text %d logit %d", i, k)
                                .isCloseTo(x, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void loraLayersStayPlain() throws IOException {
        Path lora = tmp.resolve("lora-run");
        dev.idspam.tools.CliRun g = dev.idspam.tools.CliRun.of("generate", "--backbone", tmp.resolve("backbone").toString(),
                "--method", "lora", "--task", "sst2", "--max-length", "32", "--seed", "3", "--out", lora.toString());
        assertThat(g.exit()).as(g.err()).isZero();
        Path fused = Export.run(lora, null, tmp.resolve("lora-fused"), RUN).directory();
        assertThat(graph(fused).get("fused").getAsBoolean()).isTrue();
        assertThat(graph(fused).get("fused_layers").getAsInt()).as("layers whose projections LoRA changed").isZero();
        java.util.Set<String> read = new java.util.TreeSet<>();
        OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fused.resolve("model.onnx"))).getGraph().getNodeList()
                .forEach(n -> n.getInputList().stream().filter(in -> in.startsWith("lora.")).forEach(read::add));
        assertThat(read).as("LoRA's A and B of q and v in every layer, still read").hasSize(2 * 2 * LAYERS);
        assertThat(ops(fused.resolve("model.onnx"), false)).doesNotContainKey("MultiHeadAttention");
    }

    @Test
    void adapterBundlesRefuseInt8() {
        assertThatThrownBy(() -> Export.run(run, null, tmp.resolve("a2"), RUN, true, new Export.GraphOptions(false, true)))
                .hasMessageContaining("--adapter cannot be combined with --quantize int8");
        assertThat(tmp.resolve("a2")).doesNotExist();
    }
}
