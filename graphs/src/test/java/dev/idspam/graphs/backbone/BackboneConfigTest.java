package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackboneConfigTest {
    @Test
    void validatesItsFields() {
        assertThatThrownBy(() -> BackboneConfig.bert(2, 16, 3, 24, 40, 32, 2, 1e-12))
                .hasMessageContaining("hidden 16 is not a multiple of heads 3");
        assertThatThrownBy(() -> BackboneConfig.bert(0, 16, 4, 24, 40, 32, 2, 1e-12))
                .hasMessageContaining("layers must be positive, got 0");
        assertThatThrownBy(() -> BackboneConfig.bert(2, 16, 4, 24, 40, 32, 2, 0))
                .hasMessageContaining("layerNormEps must be in (0, 1)");
        assertThatThrownBy(() -> new BackboneConfig(BackboneConfig.Family.ROBERTA, 2, 16, 2, 20, 40, 34, 1, 1e-5,
                BackboneConfig.Activation.GELU, 0, 1))
                .hasMessageContaining("positionOffset must be padTokenId + 1 = 2, got 0");
        assertThatThrownBy(() -> new BackboneConfig(BackboneConfig.Family.BERT, 2, 16, 2, 20, 40, 34, 1, 1e-5,
                BackboneConfig.Activation.GELU, 0, 40))
                .hasMessageContaining("padTokenId 40 must be a token id in [0, vocabSize = 40)");
    }

    @Test
    void countsEncoderParameters() {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 1);
        long encoder = w.encoderNames().stream().mapToLong(n -> w.get(n).numElements()).sum();
        assertThat(w.config().parameterCount()).isEqualTo(encoder);
        assertThat(TinyBackbones.robertaConfig().maxSequenceLength()).isEqualTo(32);
        assertThat(TinyBackbones.bertConfig().headSize()).isEqualTo(4);
    }

    @Test
    void countsGpt2ParametersAndChecksItsFields() {
        BackboneWeights w = TinyGpt2.random(TinyGpt2.config(), 1);
        long all = w.encoderNames().stream().mapToLong(n -> w.get(n).numElements()).sum();
        assertThat(w.config().parameterCount()).isEqualTo(all);
        // gpt2 (124M): 12 blocks, n = 768, 50257 tokens, 1024 positions, as its model card counts
        assertThat(BackboneConfig.gpt2(12, 768, 12, 3072, 50257, 1024, 1e-5, BackboneConfig.Activation.GELU_TANH, 50256)
                .parameterCount()).isEqualTo(124_439_808L);
        assertThat(w.encoderNames()).doesNotContain(TensorNames.TOKEN_TYPE, TensorNames.EMB_LN_GAMMA)
                .contains(TensorNames.FINAL_LN_GAMMA, TensorNames.FINAL_LN_BETA);
        assertThatThrownBy(() -> new BackboneConfig(BackboneConfig.Family.GPT2, 2, 16, 4, 64, 40, 32, 1, 1e-5,
                BackboneConfig.Activation.GELU_TANH, 0, 39)).hasMessageContaining("typeVocabSize must be 0, got 1");
        assertThatThrownBy(() -> new BackboneConfig(BackboneConfig.Family.GPT2, 2, 16, 4, 64, 40, 32, 0, 1e-5,
                BackboneConfig.Activation.GELU_TANH, 2, 39)).hasMessageContaining("positionOffset must be 0, got 2");
    }

    @Test
    void weightsAreCheckedAgainstTheConfigNamingEachTensor() {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 2);
        Map<String, TensorData> t = new LinkedHashMap<>(w.tensors());
        t.put(TensorNames.layer(1, TensorNames.K_W), TensorData.zeros(DType.FLOAT, 16, 15));
        t.remove(TensorNames.EMB_LN_BETA);
        t.put("layer.7.attn.q.w", TensorData.zeros(DType.FLOAT, 16, 16));
        t.remove(TensorNames.MLM_BIAS);
        t.put(TensorNames.layer(0, TensorNames.Q_B), TensorData.zeros(DType.DOUBLE, 16));
        assertThatThrownBy(() -> new BackboneWeights(w.config(), t, "test"))
                .hasMessageContaining("backbone weights from test do not match their config BERT N=2 n=16 H=4 F=24")
                .hasMessageContaining("tensor 'layer.1.attn.k.w' has shape [16, 15], expected [16, 16]")
                .hasMessageContaining("tensor 'embeddings.ln.beta' is missing, expected shape [16]")
                .hasMessageContaining("tensor 'layer.7.attn.q.w' is not a canonical backbone tensor name")
                .hasMessageContaining("tensor 'mlm.bias' is missing, expected shape [40]")
                .hasMessageContaining("tensor 'layer.0.attn.q.b' is DOUBLE, expected FLOAT");
        assertThatThrownBy(() -> TinyBackbones.random(TinyBackbones.bertConfig(), 3).get("pooler.x"))
                .hasMessageContaining("no tensor 'pooler.x' (the checkpoint has no pooler)");
    }

    @Test
    void weightsKeepCanonicalOrderAndOptionalGroups() {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 4);
        Map<String, TensorData> reversed = new LinkedHashMap<>();
        java.util.List<String> names = new java.util.ArrayList<>(w.tensors().keySet());
        java.util.Collections.reverse(names);
        for (String n : names) {
            if (!n.startsWith("mlm.") && !n.startsWith("pooler.")) {
                reversed.put(n, w.get(n));
            }
        }
        BackboneWeights encoderOnly = new BackboneWeights(w.config(), reversed, "reversed");
        assertThat(encoderOnly.tensors().keySet()).containsExactlyElementsOf(w.encoderNames());
        assertThat(encoderOnly.hasMlmHead()).isFalse();
        assertThat(encoderOnly.hasPooler()).isFalse();
    }
}
