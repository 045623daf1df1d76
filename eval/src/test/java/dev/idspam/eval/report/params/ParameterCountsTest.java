package dev.idspam.eval.report.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParameterCountsTest {

    @Test
    void bertBaseMatchesTheCheckpoint() {
        assertThat(BackboneSizes.BERT_BASE.totalParams()).isEqualTo(109_482_240L);
        assertThat(BackboneSizes.BERT_BASE.totalParamsWithoutPooler()).isEqualTo(108_891_648L);
        // (30522 + 512 + 2)·768 + 2·768
        assertThat(BackboneSizes.BERT_BASE.embeddingParams()).isEqualTo(23_837_184L);
        assertThat(BackboneSizes.BERT_BASE.layerParams()).isEqualTo(7_087_872L);
    }

    @Test
    void otherKnownCheckpoints() {
        assertThat(BackboneSizes.ROBERTA_BASE.totalParams()).isEqualTo(124_645_632L);
        assertThat(BackboneSizes.ROBERTA_LARGE.totalParams()).isEqualTo(355_359_744L);
        assertThat(BackboneSizes.GPT2.totalParams()).isEqualTo(124_439_808L);
        assertThat(BackboneSizes.GPT2_MEDIUM.totalParams()).isEqualTo(354_823_168L);
        assertThat(BackboneSizes.GPT2_LARGE.totalParams()).isEqualTo(774_030_080L);
    }

    @Test
    void gpt2LayerHasTheSameShapesAsABertLayer() {
        long n = 768;
        assertThat(BackboneSizes.GPT2.layerParams())
                .isEqualTo((4 * n * n + 4 * n) + (8 * n * n + 5 * n) + 2 * 2 * n)
                .isEqualTo(BackboneSizes.BERT_BASE.layerParams());
    }

    @Test
    void headFormula() {
        // n² + n + n·C + C for n = 768, C = 2; each method's own formula is tested with its provider
        assertThat(ParameterCounts.head(768, 2)).isEqualTo(592_130L);
        assertThat(ParameterCounts.head(16, 3)).isEqualTo(16L * 16 + 16 + 16 * 3 + 3);
    }

    @Test
    void configsValidate() {
        assertThatThrownBy(() -> new BackboneSizes("x", BackboneSizes.Family.ENCODER, 10, 2, 3, 40, 100, 10, 1, false))
                .hasMessageContaining("not divisible by 3 heads");
        assertThatThrownBy(() -> new BackboneSizes("x", BackboneSizes.Family.DECODER, 12, 2, 3, 48, 100, 10, 1, false))
                .hasMessageContaining("no token types");
    }
}
