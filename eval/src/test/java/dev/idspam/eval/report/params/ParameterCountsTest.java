package dev.idspam.eval.report.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParameterCountsTest {

    @Test
    void bertBaseMatchesTheCheckpoint() {
        assertThat(BackboneConfig.BERT_BASE.totalParams()).isEqualTo(109_482_240L);
        assertThat(BackboneConfig.BERT_BASE.totalParamsWithoutPooler()).isEqualTo(108_891_648L);
        // (30522 + 512 + 2)·768 + 2·768
        assertThat(BackboneConfig.BERT_BASE.embeddingParams()).isEqualTo(23_837_184L);
        assertThat(BackboneConfig.BERT_BASE.layerParams()).isEqualTo(7_087_872L);
    }

    @Test
    void otherKnownCheckpoints() {
        assertThat(BackboneConfig.ROBERTA_BASE.totalParams()).isEqualTo(124_645_632L);
        assertThat(BackboneConfig.ROBERTA_LARGE.totalParams()).isEqualTo(355_359_744L);
        assertThat(BackboneConfig.GPT2.totalParams()).isEqualTo(124_439_808L);
        assertThat(BackboneConfig.GPT2_MEDIUM.totalParams()).isEqualTo(354_823_168L);
        assertThat(BackboneConfig.GPT2_LARGE.totalParams()).isEqualTo(774_030_080L);
    }

    @Test
    void gpt2LayerHasTheSameShapesAsABertLayer() {
        long n = 768;
        assertThat(BackboneConfig.GPT2.layerParams())
                .isEqualTo((4 * n * n + 4 * n) + (8 * n * n + 5 * n) + 2 * 2 * n)
                .isEqualTo(BackboneConfig.BERT_BASE.layerParams());
    }

    @Test
    void methodFormulas() {
        int n = 768;
        // 3(n² + n) + (n·c + c) + (c·t·n + t·n) with t = 10, c = 192
        assertThat(ParameterCounts.idSpamGenerator(n, 10, 192, true))
                .isEqualTo(3L * (n * n + n) + (n * 192L + 192) + (192L * 10 * n + 10L * n))
                .isEqualTo(3_401_664L);
        assertThat(ParameterCounts.idSpamGenerator(n, 10, 192, false)).isEqualTo(3_401_664L - 3L * n);
        assertThat(ParameterCounts.meanPoolGenerator(n, 10, 192)).isEqualTo(3_401_664L - 3L * (n * n + n));
        assertThat(ParameterCounts.head(n, 2)).isEqualTo(592_130L);
        assertThat(ParameterCounts.promptTuning(n, 10)).isEqualTo(7_680L);
        assertThat(ParameterCounts.lpt(n, 10, 256)).isEqualTo(2_170_624L);
        assertThat(ParameterCounts.lora(12, n, 8)).isEqualTo(294_912L);
    }

    @Test
    void perBackboneTableIncludesTheHeadEverywhere() {
        PeftSizes sizes = PeftSizes.defaults(BackboneConfig.ROBERTA_BASE, 3);
        assertThat(sizes).isEqualTo(new PeftSizes(3, 10, 192, 256, 8));
        List<MethodParams> rows = ParameterCounts.forBackbone(BackboneConfig.ROBERTA_BASE, sizes);
        assertThat(rows).extracting(MethodParams::method).containsExactly(
                "full", "lora", "prompt-tuning", "lpt", "idspam", "idspam-meanpool");
        assertThat(rows).allSatisfy(r -> assertThat(r.headParams()).isEqualTo(ParameterCounts.head(768, 3)));
        assertThat(rows.get(0).total()).isEqualTo(BackboneConfig.ROBERTA_BASE.totalParamsWithoutPooler()
                + ParameterCounts.head(768, 3));
        assertThat(PeftSizes.defaults(new BackboneConfig("tiny", BackboneConfig.Family.ENCODER, 16, 2, 2, 64,
                100, 32, 2, false), 2).bottleneck()).isEqualTo(8);
    }

    @Test
    void configsValidate() {
        assertThatThrownBy(() -> new BackboneConfig("x", BackboneConfig.Family.ENCODER, 10, 2, 3, 40, 100, 10, 1, false))
                .hasMessageContaining("not divisible by 3 heads");
        assertThatThrownBy(() -> new BackboneConfig("x", BackboneConfig.Family.DECODER, 12, 2, 3, 48, 100, 10, 1, false))
                .hasMessageContaining("no token types");
    }
}
