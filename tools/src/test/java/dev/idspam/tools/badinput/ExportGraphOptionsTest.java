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
 * The export's graph options on a trained tiny model: {@code --fused} rewrites every encoder layer
 * into ONNX Runtime's fused operators and gives the plain graph's logits within 1e-5;
 * {@code --quantize int8} turns every backbone matrix product into an int8 one and stays close;
 * both are refused for adapter bundles.
 */
class ExportGraphOptionsTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);
    private static final List<String> TEXTS = List.of("a fun film .", "the plot is thin and the acting is worse",
            "it is good", "an awful , boring mess of a movie that never ends");

    @TempDir
    static Path tmp;
    private static Path run;

    @BeforeAll
    static void generate() throws Exception {
        TinyBundles.build(tmp, "sst2");
        run = tmp.resolve("sst2-run");
    }

    private static Map<String, Integer> ops(Path model) throws IOException {
        Map<String, Integer> c = new TreeMap<>();
        for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(model)).getGraph().getNodeList()) {
            c.merge(n.getOpType(), 1, Integer::sum);
            assertThat(n.getName()).as("no plain encoder layer left in " + model).doesNotStartWith("encoder/layer");
        }
        return c;
    }

    @Test
    void fusedAndInt8GraphsGiveThePlainGraphsLabels() throws IOException {
        Path plain = Export.run(run, null, tmp.resolve("plain"), RUN).directory();
        Path fused = Export.run(run, null, tmp.resolve("fused"), RUN, false, new Export.GraphOptions(true, false)).directory();
        Path int8 = Export.run(run, null, tmp.resolve("int8"), RUN, false, new Export.GraphOptions(false, true)).directory();
        Path both = Export.run(run, null, tmp.resolve("both"), RUN, false, new Export.GraphOptions(true, true)).directory();
        JsonObject graph = JsonParser.parseString(Files.readString(fused.resolve("bundle.json"))).getAsJsonObject()
                .getAsJsonObject("graph");
        assertThat(graph.get("fused").getAsBoolean()).isTrue();
        assertThat(graph.get("quantize").getAsString()).isEqualTo("none");

        int layers = 2; // the tiny backbone's
        Map<String, Integer> f = ops(fused.resolve("model.onnx"));
        assertThat(f).containsEntry("Attention", layers).containsEntry("SkipLayerNormalization", 2 * layers)
                .containsEntry("BiasGelu", layers);
        Map<String, Integer> q = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(int8.resolve("model.onnx"))).getGraph()
                .getNodeList().stream().collect(java.util.stream.Collectors.toMap(OnnxMl.NodeProto::getOpType, n -> 1,
                        Integer::sum, TreeMap::new));
        assertThat(q).containsEntry("DynamicQuantizeMatMul", 6 * layers); // q, k, v, out, ffn in, ffn out

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
    void adapterBundlesRefuseGraphRewrites() {
        assertThatThrownBy(() -> Export.run(run, null, tmp.resolve("a1"), RUN, true, new Export.GraphOptions(true, false)))
                .hasMessageContaining("--adapter cannot be combined with --fused");
        assertThatThrownBy(() -> Export.run(run, null, tmp.resolve("a2"), RUN, true, new Export.GraphOptions(false, true)))
                .hasMessageContaining("--adapter cannot be combined with --quantize int8");
        assertThat(tmp.resolve("a1")).doesNotExist();
    }
}
