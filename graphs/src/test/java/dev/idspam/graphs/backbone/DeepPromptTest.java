package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.methods.MethodContext;
import dev.idspam.graphs.methods.ParameterInit;
import dev.idspam.graphs.methods.ptuningv2.PTuningV2Config;
import dev.idspam.graphs.methods.ptuningv2.PTuningV2Method;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * P-Tuning v2's injections (a prompt prepended at layer 0, replaced before every later layer) on a
 * tiny backbone against {@link ReferenceEncoder#forwardDeep}, the same computation in plain Java
 * double precision; Prompt Tuning with layer 0's prompt alone is the negative control.
 */
class DeepPromptTest {
    private static final double TOL = 1e-5;

    @Test
    void everyLayerRunsOnItsOwnPromptRows() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 15);
        int t = 3;
        int n = w.config().hidden();
        int layers = w.config().layers();
        PTuningV2Method method = new PTuningV2Method(new PTuningV2Config(t, 1.0));
        MethodContext ctx = new MethodContext(w, new ParameterInit(21), 21, false);
        Graph g = EncoderParity.graphWith(w, EncoderBuilder.WeightBinding.FROZEN, true, b -> method.encoderChanges(ctx));
        assertThat(ctx.trainable()).as("one prompt per layer").hasSize(layers);

        Map<String, float[]> values = new HashMap<>();
        for (Parameter p : g.parameters()) {
            values.put(p.name(), p.initial().toFloats());
        }
        double[][][] prompts = new double[layers][t][n];
        for (int l = 0; l < layers; l++) {
            float[] p = values.get(PTuningV2Config.parameter(l));
            assertThat(p).as("layer %d's prompt", l).hasSize(t * n);
            for (int i = 0; i < t * n; i++) {
                prompts[l][i / n][i % n] = p[i];
            }
        }

        EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), new int[] {5, 8, 2}, 9);
        ReferenceEncoder ref = new ReferenceEncoder(w);
        try (GraphRunner run = new GraphRunner(g)) {
            Map<String, GraphRunner.Out> out = run.run(batch.feeds(true),
                    EncoderParity.layerNames(layers).toArray(new String[0]));
            double deep = 0;
            for (int b = 0; b < batch.size(); b++) {
                ReferenceEncoder.Result r = ref.forwardDeep(batch.ids()[b], batch.types()[b], batch.mask()[b], prompts);
                long[] mask = extended(t, batch.mask()[b]);
                for (int l = 0; l < layers; l++) {
                    // every row, prompt rows included: layer l's output at the prompt positions is computed from P_l
                    deep = Math.max(deep, EncoderParity.maxDiff(out.get("layer_" + l), b, r.layers().get(l), mask));
                }
            }
            assertThat(out.get("layer_" + (layers - 1)).shape()).containsExactly(3, t + 8, n);
            assertThat(deep).as("max |graph - deep-prompt reference| over all layers").isLessThan(TOL);
            // negative control: the prompt at layer 0 only (Prompt Tuning) is a different model
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, true, ref, 0, prompts[0])).isGreaterThan(1e-2);
        }
    }

    @Test
    void aPromptCanOnlyBeReplacedAfterItWasPrepended() {
        assertThatThrownBy(() -> Injection.replacePrompt(0, 3, (b, at) -> at.hidden()))
                .hasMessageContaining("from layer 1 up");
        assertThatThrownBy(() -> new EncoderChanges(java.util.List.of(Injection.prepend(1, (b, at) -> at.hidden()),
                Injection.replacePrompt(1, 2, (b, at) -> at.hidden())), null, null))
                .hasMessageContaining("two injections at layer 1");
    }

    private static long[] extended(int t, long[] mask) {
        long[] m = new long[t + mask.length];
        java.util.Arrays.fill(m, 0, t, 1);
        System.arraycopy(mask, 0, m, t, mask.length);
        return m;
    }
}
