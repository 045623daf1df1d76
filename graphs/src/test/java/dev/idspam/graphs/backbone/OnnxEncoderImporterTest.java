package dev.idspam.graphs.backbone;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnx.proto.OnnxMl;
import dev.idspam.graphs.onnx.OnnxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxEncoderImporterTest {
    private static final double TOL = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"minilm-l6", "bge-small"})
    void rebuiltEncoderMatchesTheOriginalModel(String id) throws Exception {
        BackboneSource src = BackboneCatalog.resolve(id);
        byte[] model = src.model().readAllBytes();
        BackboneWeights w = OnnxEncoderImporter.fromBytes(model, src.model().toString());
        BackboneConfig c = w.config();
        assertThat(c.layers()).isEqualTo(id.equals("minilm-l6") ? 6 : 12);
        assertThat(List.of(c.hidden(), c.heads(), c.intermediate(), c.vocabSize(), c.maxPositions(), c.typeVocabSize()))
                .containsExactly(384, 12, 1536, 30522, 512, 2);
        assertThat(c.layerNormEps()).isEqualTo(1e-12);
        assertThat(c.parameterCount()).isEqualTo(w.elementCount());

        List<String[]> rows = RealText.rte(8);
        List<String> s1 = rows.stream().map(r -> r[1]).toList();
        List<String> s2 = rows.stream().map(r -> r[2]).toList();
        String last = "layer_" + (c.layers() - 1);
        double worst = 0;
        try (HuggingFaceTokenizer tok = RealText.tokenizer(src, 128);
             GraphRunner original = new GraphRunner(model, List.of());
             GraphRunner rebuilt = new GraphRunner(EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, true, null, null))) {
            for (EncoderParity.Batch batch : List.of(RealText.encode(tok, s1, null, 0), RealText.encode(tok, s1, s2, 0))) {
                GraphRunner.Out ref = original.run(batch.feeds(true), "last_hidden_state").get("last_hidden_state");
                GraphRunner.Out ours = rebuilt.run(batch.feeds(true), last).get(last);
                assertThat(ours.shape()).isEqualTo(ref.shape());
                for (int b = 0; b < batch.size(); b++) {
                    double[][] rowsRef = new double[(int) ref.shape()[1]][(int) ref.shape()[2]];
                    for (int i = 0; i < rowsRef.length; i++) {
                        for (int d = 0; d < rowsRef[i].length; d++) {
                            rowsRef[i][d] = ref.at(b, i, d);
                        }
                    }
                    worst = Math.max(worst, EncoderParity.maxDiff(ours, b, rowsRef, batch.mask()[b]));
                }
                assertThat(java.util.Arrays.stream(batch.mask()).mapToLong(m -> java.util.Arrays.stream(m).sum()).distinct().count())
                        .as("batch has different lengths, so padding is exercised").isGreaterThan(1);
            }
        }
        System.out.printf("parity %s vs original ONNX: max |diff| %.3g over real positions of 8 RTE sentences and 8 pairs%n", id, worst);
        assertThat(worst).isLessThan(TOL);
    }

    @Test
    void importsItsOwnEncoderGraphsBack() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 31);
        byte[] bytes = OnnxWriter.toBytes(EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, true, null, null));
        BackboneWeights back = OnnxEncoderImporter.fromBytes(bytes, "tiny");
        assertThat(back.config()).isEqualTo(w.config());
        for (String name : w.encoderNames()) {
            assertThat(back.get(name)).as(name).isEqualTo(w.get(name));
        }
    }

    @Test
    void failsNamingTheNodeItDoesNotUnderstand() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 32);
        OnnxMl.ModelProto model = OnnxWriter.toModel(EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, true, null, null));

        OnnxMl.ModelProto.Builder tanh = model.toBuilder();
        for (OnnxMl.NodeProto.Builder n : tanh.getGraphBuilder().getNodeBuilderList()) {
            if (n.getOpType().equals("Erf")) {
                n.setOpType("Tanh");
                break;
            }
        }
        assertThatThrownBy(() -> OnnxEncoderImporter.fromModel(tanh.build(), "tanh"))
                .hasMessageContaining("layer 0").hasMessageContaining("only exact GELU");

        OnnxMl.ModelProto.Builder noLn = model.toBuilder();
        for (OnnxMl.NodeProto.Builder n : noLn.getGraphBuilder().getNodeBuilderList()) {
            if (n.getOpType().equals("LayerNormalization") && n.getName().contains("layer1")) {
                n.setOpType("InstanceNormalization");
                break;
            }
        }
        assertThatThrownBy(() -> OnnxEncoderImporter.fromModel(noLn.build(), "no-ln"))
                .hasMessageContaining("layer 1 attention LayerNorm: expected a LayerNormalization")
                .hasMessageContaining("InstanceNormalization");

        BackboneWeights roberta = TinyBackbones.random(TinyBackbones.robertaConfig(), 33);
        byte[] rb = OnnxWriter.toBytes(EncoderParity.graph(roberta, EncoderBuilder.WeightBinding.CONSTANT, true, null, null));
        assertThatThrownBy(() -> OnnxEncoderImporter.fromBytes(rb, "roberta"))
                .hasMessageContaining("CumSum, RoBERTa style");

        byte[] frozen = OnnxWriter.toBytes(EncoderParity.graph(w, EncoderBuilder.WeightBinding.FROZEN, true, null, null));
        assertThatThrownBy(() -> OnnxEncoderImporter.fromBytes(frozen, "frozen"))
                .hasMessageContaining("expected one or two Gathers of an embedding table");
    }
}
