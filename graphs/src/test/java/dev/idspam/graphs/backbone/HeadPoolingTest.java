package dev.idspam.graphs.backbone;

import dev.idspam.graphs.artifacts.ArtifactGraphs;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The mean-pooling head reads the mean over the real input tokens only: a sentence gives the same
 * logits alone and padded inside a longer batch, padding ids do not matter, and the logits differ
 * from those of the first-token head on the same weights (the option changes what is read).
 */
class HeadPoolingTest {
    @Test
    void meanPoolingIgnoresPromptAndPadding() throws Exception {
        BackboneConfig c = TinyBackbones.bertConfig();
        BackboneWeights w = TinyBackbones.random(c, 5);
        MethodSpec spec = MethodSpec.defaults("idspam").withLayer(1);
        HeadConfig mean = HeadConfig.classification(3).withPooling(HeadConfig.Pooling.MEAN);
        float[] alone = logits(w, spec, mean, new long[][] {{2, 7, 9, 11, 3}}, new long[][] {{1, 1, 1, 1, 1}});
        float[] padded = logits(w, spec, mean, new long[][] {{2, 7, 9, 11, 3, 0, 0}, {2, 8, 12, 6, 10, 13, 3}},
                new long[][] {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}});
        float[] otherPad = logits(w, spec, mean, new long[][] {{2, 7, 9, 11, 3, 17, 19}, {2, 8, 12, 6, 10, 13, 3}},
                new long[][] {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}});
        float[] first = logits(w, spec, HeadConfig.classification(3), new long[][] {{2, 7, 9, 11, 3}},
                new long[][] {{1, 1, 1, 1, 1}});
        double differs = 0;
        for (int k = 0; k < 3; k++) {
            assertThat(padded[k]).as("logit %d padded", k).isCloseTo(alone[k], within(1e-5f));
            assertThat(otherPad[k]).as("logit %d, other padding ids", k).isCloseTo(alone[k], within(1e-5f));
            differs = Math.max(differs, Math.abs(first[k] - alone[k]));
        }
        assertThat(differs).as("first-token and mean heads read different states").isGreaterThan(1e-4);
        assertThatThrownBy(() -> HeadConfig.Pooling.parse("max")).hasMessage("--head-pooling must be first, mean or last, got 'max'");
    }

    /**
     * On GPT-2 the default head reads the last real token: the logits of a sentence alone and padded
     * (with any padding ids) agree, they differ from those of the mean head, and a head on the first
     * token is refused (under causal attention it has seen only itself and the prompt).
     */
    @Test
    void lastPoolingOnADecoderIgnoresPaddingAndFirstIsRefused() throws Exception {
        BackboneWeights w = TinyGpt2.random(TinyGpt2.config(), 6);
        MethodSpec spec = MethodSpec.defaults("idspam").withLayer(1);
        HeadConfig last = HeadConfig.classification(3).withPooling(HeadConfig.Pooling.defaultFor(w.config().family()));
        assertThat(last.pooling()).isEqualTo(HeadConfig.Pooling.LAST);
        long eos = w.config().padTokenId();
        float[] alone = logits(w, spec, last, new long[][] {{12, 7, 9, 11, 3}}, new long[][] {{1, 1, 1, 1, 1}});
        float[] padded = logits(w, spec, last, new long[][] {{12, 7, 9, 11, 3, eos, eos}, {2, 8, 12, 6, 10, 13, 3}},
                new long[][] {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}});
        float[] otherPad = logits(w, spec, last, new long[][] {{12, 7, 9, 11, 3, 17, 19}, {2, 8, 12, 6, 10, 13, 3}},
                new long[][] {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}});
        float[] mean = logits(w, spec, HeadConfig.classification(3).withPooling(HeadConfig.Pooling.MEAN),
                new long[][] {{12, 7, 9, 11, 3}}, new long[][] {{1, 1, 1, 1, 1}});
        double differs = 0;
        for (int k = 0; k < 3; k++) {
            assertThat(padded[k]).as("logit %d padded", k).isCloseTo(alone[k], within(1e-5f));
            assertThat(otherPad[k]).as("logit %d, other padding ids", k).isCloseTo(alone[k], within(1e-5f));
            differs = Math.max(differs, Math.abs(mean[k] - alone[k]));
        }
        assertThat(differs).as("last-token and mean heads read different states").isGreaterThan(1e-4);
        assertThatThrownBy(() -> new TaskModel(w, spec.create(), HeadConfig.classification(3), 9))
                .hasMessageContaining("cannot read the first token of a GPT2 backbone")
                .hasMessageContaining("use --head-pooling last (the default for decoders) or mean");
    }

    private static float[] logits(BackboneWeights w, MethodSpec spec, HeadConfig head, long[][] ids, long[][] mask)
            throws Exception {
        TaskModel model = new TaskModel(w, spec.create(), head, 9);
        ArtifactGraphs g = ArtifactWriter.forModel(model).build().buildGraphs();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put(TaskModel.INPUT_IDS, ids);
        in.put(TaskModel.ATTENTION_MASK, mask);
        if (model.usesTokenTypes()) {
            in.put(TaskModel.TOKEN_TYPE_IDS, new long[ids.length][ids[0].length]);
        }
        in.put(TaskModel.LABELS, new long[ids.length]);
        try (GraphRunner r = new GraphRunner(g.eval())) {
            return r.runMixed(in, TaskModel.LOGITS, ArtifactNames.LOSS).get(TaskModel.LOGITS).data();
        }
    }
}
