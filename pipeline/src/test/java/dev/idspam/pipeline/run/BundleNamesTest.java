package dev.idspam.pipeline.run;

import dev.idspam.graphs.backbone.TokenizerRef;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.TokenizerFiles;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving module writes the bundle format's names without seeing the graph builders; the
 * exported graph must use the same ones.
 */
class BundleNamesTest {

    @Test
    void theBundleNamesTheGraphsInputsAndOutputAsTheGraphBuilderDoes() {
        assertThat(Bundle.INPUT_IDS).isEqualTo(TaskModel.INPUT_IDS);
        assertThat(Bundle.ATTENTION_MASK).isEqualTo(TaskModel.ATTENTION_MASK);
        assertThat(Bundle.TOKEN_TYPE_IDS).isEqualTo(TaskModel.TOKEN_TYPE_IDS);
        assertThat(Bundle.OUTPUT).isEqualTo(TaskModel.LOGITS);
    }

    @Test
    void everyTokenizerKindOfABackboneCanBeReadBack() {
        assertThat(Arrays.stream(TokenizerFiles.Kind.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(TokenizerRef.Kind.values()).map(Enum::name).toList());
    }
}
