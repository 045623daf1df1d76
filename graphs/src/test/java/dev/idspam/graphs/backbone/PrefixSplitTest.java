package dev.idspam.graphs.backbone;

import dev.idspam.graphs.artifacts.ArtifactGraphs;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One row per registered method: what {@link Method#frozenPrefixLayers} declares is what its graphs
 * do. A method with a frozen prefix of m layers gets the prefix-cache graphs, whose prefix reads
 * frozen embedding and layer-0..m−1 weights only and whose suffix builds no layer below m; and
 * suffix(tokens, prefix(tokens)) gives the whole graph's logits and loss, with X_m zeroed at padded
 * positions as the training cache stores it. A method declaring 0 gets no such graphs. On a BERT
 * encoder and on a GPT-2 decoder (whose head reads the last real token).
 */
class PrefixSplitTest {
    private static final Pattern LAYER = Pattern.compile("(?:encoder/layer|decoder/block)(\\d+)/.*");

    @ParameterizedTest
    @ValueSource(strings = {"BERT", "GPT2"})
    void everyMethodsDeclaredPrefixMatchesItsGraphs(String family) throws Exception {
        BackboneWeights w = family.equals("BERT") ? TinyBackbones.random(TinyBackbones.bertConfig(), 3)
                : TinyGpt2.random(TinyGpt2.config(), 3);
        BackboneConfig c = w.config();
        HeadConfig head = HeadConfig.classification(3).withPooling(HeadConfig.Pooling.defaultFor(c.family()));
        int checked = 0;
        for (MethodProvider<?> p : MethodRegistry.providers()) {
            MethodSpec spec = MethodSpec.defaults(p.id());
            spec = spec.layer().isPresent() ? spec.withLayer(1) : spec;
            Method method = spec.create();
            TaskModel model = new TaskModel(w, method, head, 9);
            ArtifactGraphs g = ArtifactWriter.forModel(model).build().buildGraphs();
            int m = model.cachedPrefixLayers();
            assertThat(m).as(p.id()).isEqualTo(method.trainsBackbone() ? 0 : method.frozenPrefixLayers());
            if (m == 0) {
                assertThat(g.cached()).as(p.id() + " declares no frozen prefix").isNull();
                continue;
            }
            assertThat(g.cached()).as(p.id()).isNotNull();
            for (Parameter param : g.cached().prefix().parameters()) {
                assertThat(param.trainable()).as(p.id() + " prefix parameter " + param.name()).isFalse();
            }
            assertThat(layers(g.cached().prefix())).as(p.id() + " prefix layers").allMatch(i -> i < m);
            assertThat(layers(g.cached().training())).as(p.id() + " suffix training layers").allMatch(i -> i >= m);
            assertThat(layers(g.cached().eval())).as(p.id() + " suffix eval layers").allMatch(i -> i >= m);
            assertThat(g.cached().training().parameters()).isEqualTo(g.training().parameters());
            sameLogits(p.id(), g, c.hidden());
            checked++;
        }
        assertThat(checked).as("methods with a frozen prefix").isGreaterThanOrEqualTo(2);
    }

    private static java.util.Set<Integer> layers(Graph g) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (Node n : g.nodes()) {
            Matcher lm = LAYER.matcher(n.name());
            if (lm.matches()) {
                out.add(Integer.parseInt(lm.group(1)));
            }
        }
        return out;
    }

    private static void sameLogits(String id, ArtifactGraphs g, int hidden) throws Exception {
        long[][] ids = {{2, 7, 9, 11, 3, 0, 0}, {2, 5, 3, 0, 0, 0, 0}, {2, 8, 12, 6, 10, 13, 3}};
        long[][] mask = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
        long[][] types = new long[3][7];
        long[] labels = {0, 2, 1};
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put(TaskModel.INPUT_IDS, ids);
        tokens.put(TaskModel.ATTENTION_MASK, mask);
        tokens.put(TaskModel.TOKEN_TYPE_IDS, types);
        GraphRunner.Out xm;
        try (GraphRunner prefix = new GraphRunner(g.cached().prefix())) {
            Map<String, Object> in = new LinkedHashMap<>();
            for (var v : g.cached().prefix().userInputs()) {
                in.put(v.name(), tokens.get(v.name()));
            }
            xm = prefix.runMixed(in, ArtifactNames.PREFIX_HIDDEN).get(ArtifactNames.PREFIX_HIDDEN);
        }
        assertThat(xm.shape()).containsExactly(3, 7, hidden);
        float[] zeroed = xm.data().clone();
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 7; j++) {
                if (mask[r][j] == 0) {
                    java.util.Arrays.fill(zeroed, (r * 7 + j) * hidden, (r * 7 + j + 1) * hidden, 0f);
                }
            }
        }
        Map<String, Object> whole = new LinkedHashMap<>();
        for (var v : g.eval().userInputs()) {
            whole.put(v.name(), v.name().equals(TaskModel.LABELS) ? labels : tokens.get(v.name()));
        }
        Map<String, Object> suffix = new LinkedHashMap<>(whole);
        suffix.put(ArtifactNames.PREFIX_HIDDEN, new GraphRunner.Out(zeroed, xm.shape()));
        GraphRunner.Out expected;
        GraphRunner.Out expectedLoss;
        try (GraphRunner r = new GraphRunner(g.eval())) {
            Map<String, GraphRunner.Out> o = r.runMixed(whole, TaskModel.LOGITS, ArtifactNames.LOSS);
            expected = o.get(TaskModel.LOGITS);
            expectedLoss = o.get(ArtifactNames.LOSS);
        }
        try (GraphRunner r = new GraphRunner(g.cached().eval())) {
            Map<String, GraphRunner.Out> o = r.runMixed(suffix, TaskModel.LOGITS, ArtifactNames.LOSS);
            float[] got = o.get(TaskModel.LOGITS).data();
            assertThat(got).hasSameSizeAs(expected.data());
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as(id + " logit " + i).isCloseTo(expected.data()[i], within(1e-5f));
            }
            assertThat(o.get(ArtifactNames.LOSS).data()[0]).as(id + " loss").isCloseTo(expectedLoss.data()[0], within(1e-6f));
        }
    }
}
