package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With symbolic batch and length, the prompt-layer backward stays static: shapes are inferred
 * through the prompt concatenation (T = L + t as the symbol "L+2"), every broadcast is undone with
 * static axes, and no run-time broadcast fallback (NonZero over shapes) is emitted.
 */
class StaticBackwardShapesTest {

    private static GraphBuilder promptLayer(List<String> wrt) {
        GraphBuilder b = new GraphBuilder("layer");
        GradCheck.Fixture f = new GradCheck.Fixture(b, DType.FLOAT, new GradCheck.Values(3));
        Value loss = PromptLayerFixture.build(f, 2, 3, true, true);
        b.output(loss, "loss");
        Autodiff.standard().backward(b, b.value("loss"), wrt).values().forEach(b::output);
        return b;
    }

    @Test
    void promptLayerBackwardHasNoRunTimeBroadcastFallback() {
        GraphBuilder b = promptLayer(List.of("P", "Wh", "bh"));
        List<Node> nodes = b.nodes();
        assertThat(nodes.stream().filter(n -> n.opType().equals("NonZero"))).isEmpty();
        // The only run-time shape read in the backward is the one-hot over T for the head's Gather.
        long shapesInBackward = nodes.stream().filter(n -> n.name().startsWith("grad/") && n.opType().equals("Shape")).count();
        assertThat(shapesInBackward).isEqualTo(1);
        assertThat(b.value("P_grad").shape().toString()).isEqualTo("[2, 8]");
        assertThat(b.value("Wh_grad").shape().toString()).isEqualTo("[8, 2]");
        assertThat(b.value("bh_grad").shape().toString()).isEqualTo("[2]");
    }

    @Test
    void symbolicSequenceLengthSurvivesThePromptConcatenation() {
        GraphBuilder b = promptLayer(List.of("P"));
        List<String> softmaxShapes = b.nodes().stream().filter(n -> n.opType().equals("Softmax") && !n.name().startsWith("grad/"))
                .map(n -> b.value(n.output(0)).shape().toString()).toList();
        assertThat(softmaxShapes).containsExactly("[B, 2, L+2, L+2]");
    }

    @Test
    void shapeInferenceForTheOperatorsTheBackwardRelieson() {
        GraphBuilder b = new GraphBuilder("shapes");
        Ops o = b.ops();
        Value x = b.input("x", DType.FLOAT, Shape.of("B", "L", 8));
        Value p = b.parameter("P", TensorData.zeros(DType.FLOAT, 2, 8), true);
        assertThat(o.shape(x, 0, 1).shape().toString()).isEqualTo("[1]");
        assertThat(o.shape(x, -2, 3).shape().toString()).isEqualTo("[2]");
        Value expanded = o.expand(p, o.concat(0, o.shape(x, 0, 1), o.longs(1, 1)));
        assertThat(expanded.shape().toString()).isEqualTo("[?, 2, 8]");
        Value h = o.concat(1, expanded, x);
        assertThat(h.shape().toString()).isEqualTo("[B, L+2, 8]");
        assertThat(o.concat(1, x, expanded).shape().toString()).isEqualTo("[B, L+2, 8]");
        assertThat(o.slice(h, new long[] {2}, new long[] {Long.MAX_VALUE}, new long[] {1}).shape().toString())
                .isEqualTo("[B, L, 8]");
        assertThat(b.op("Pad", List.of(), x, o.longs(0, 2, 0, 0, 1, 0)).shape().toString()).isEqualTo("[B, L+3, 8]");
        assertThat(o.concat(1, h, expanded).shape().toString()).isEqualTo("[B, L+4, 8]");
    }

    @Test
    void unbroadcastUsesStaticAxesForSymbolicShapes() {
        GraphBuilder b = new GraphBuilder("mask");
        Ops o = b.ops();
        Value scores = b.input("s", DType.FLOAT, Shape.of("B", 2, "T", "T"));
        Value mask = b.parameter("m", TensorData.zeros(DType.FLOAT, 1, 1, 1, 1), true);
        Value bias = b.parameter("bias", TensorData.zeros(DType.FLOAT, 1), true);
        Value loss = b.op("ReduceSum", List.of(dev.idspam.graphs.build.Attr.i("keepdims", 0)), o.add(o.add(scores, mask), bias));
        int forward = b.nodes().size();
        Map<String, Value> grads = Autodiff.standard().backward(b, loss, List.of("m", "bias"));
        assertThat(b.nodes().subList(forward, b.nodes().size()).stream().map(Node::opType)).doesNotContain("NonZero");
        assertThat(grads.get("m").shape().toString()).isEqualTo("[1, 1, 1, 1]");
        assertThat(grads.get("bias").shape().toString()).isEqualTo("[1]");
    }
}
