package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Attr;
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
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Structure and error behaviour of the backward pass (numeric correctness: GradientRulesTest). */
class AutodiffEngineTest {
    private final SplittableRandom random = new SplittableRandom(7);

    private TensorData randn(long... shape) {
        float[] v = new float[(int) TensorData.count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) GradCheck.gaussian(random);
        }
        return TensorData.ofFloats(shape, v);
    }

    private static Value sumAll(GraphBuilder b, Value x) {
        return b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), x);
    }

    private static List<Node> backwardNodes(GraphBuilder b, int forwardCount) {
        return b.nodes().subList(forwardCount, b.nodes().size());
    }

    private static long count(List<Node> nodes, String opType) {
        return nodes.stream().filter(n -> n.opType().equals(opType)).count();
    }

    @Test
    void gradientFlowsThroughAFrozenLayerAndFrozenWeightsGetNoGradient() {
        GraphBuilder b = new GraphBuilder("frozen");
        Ops o = b.ops();
        Value x = b.input("x", DType.FLOAT, Shape.of("batch", 4));
        Value w1 = b.parameter("W1", randn(4, 5), true);
        Value w2 = b.parameter("W2", randn(5, 2), false);
        Value b2 = b.parameter("b2", randn(2), false);
        Value loss = sumAll(b, o.add(o.matmul(o.tanh(o.matmul(x, w1)), w2), b2));
        int forward = b.nodes().size();

        Map<String, Value> grads = Autodiff.standard().backward(b, loss, List.of("W1"));

        assertThat(grads.keySet()).containsExactly("W1");
        assertThat(grads.get("W1").name()).isEqualTo("W1_grad");
        assertThat(grads.get("W1").shape().toString()).isEqualTo("[4, 5]");
        assertThat(b.hasValue("W2_grad")).isFalse();
        assertThat(b.hasValue("b2_grad")).isFalse();
        List<Node> bwd = backwardNodes(b, forward);
        // dh = dy·W2ᵀ and dW1 = xᵀ·dpre: two products, none for W2
        assertThat(count(bwd, "Gemm") + count(bwd, "MatMul")).isEqualTo(2);
        // b2's gradient would be a ReduceSum over the batch; the loss's own backward is an Expand
        assertThat(count(bwd, "ReduceSum")).isZero();
    }

    @Test
    void branchesThatReachNoTrainableTensorEmitNoNodes() {
        int withoutBranch = backwardSize(false);
        int withBranch = backwardSize(true);
        assertThat(withBranch).isEqualTo(withoutBranch);
    }

    private int backwardSize(boolean frozenBranch) {
        GraphBuilder b = new GraphBuilder("dead");
        Ops o = b.ops();
        Value a = b.parameter("a", randn(3, 4), false);
        Value w = b.parameter("W", randn(4, 2), true);
        Value loss = sumAll(b, o.matmul(a, w));
        if (frozenBranch) {
            Value c = b.parameter("C", randn(4, 2), false);
            loss = o.add(loss, sumAll(b, o.sigmoid(o.tanh(o.matmul(a, c)))));
        }
        int forward = b.nodes().size();
        Autodiff.standard().backward(b, loss, List.of("W"));
        List<Node> bwd = backwardNodes(b, forward);
        assertThat(count(bwd, "Sub")).as("no Tanh/Sigmoid backward").isZero();
        return bwd.size();
    }

    @Test
    void aValueWithSeveralConsumersGetsTheSumOfTheirContributions() {
        GraphBuilder b = new GraphBuilder("fanout");
        Ops o = b.ops();
        Value h = o.matmul(b.parameter("x", randn(2, 3), false), b.parameter("W", randn(3, 3), true));
        Value loss = o.add(o.add(sumAll(b, o.tanh(h)), sumAll(b, o.sigmoid(h))), sumAll(b, o.mul(h, h)));
        int forward = b.nodes().size();
        Autodiff.standard().backward(b, loss, List.of("W"));
        List<Node> sums = backwardNodes(b, forward).stream().filter(n -> n.opType().equals("Sum")).toList();
        assertThat(sums).hasSize(1);
        assertThat(sums.get(0).inputs()).hasSize(4); // tanh, sigmoid, and h·h twice (both Mul inputs)
    }

    @Test
    void aMissingRuleNamesTheOperatorTheNodeAndWhereToAddIt() {
        GraphBuilder b = new GraphBuilder("missing");
        Value w = b.parameter("W", randn(2, 3), true);
        Value loss = sumAll(b, b.op("Cos", List.of(), w));
        assertThatThrownBy(() -> Autodiff.standard().backward(b, loss, List.of("W")))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no gradient rule for operator Cos")
                .hasMessageContaining("(node Cos)")
                .hasMessageContaining("StandardRules");
    }

    @Test
    void aTensorThatDoesNotInfluenceTheLossIsAClearError() {
        GraphBuilder b = new GraphBuilder("unused");
        Value w = b.parameter("W", randn(2, 3), true);
        b.parameter("Z", randn(2), true);
        Value loss = sumAll(b, w);
        assertThatThrownBy(() -> Autodiff.standard().backward(b, loss, List.of("W", "Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 'Z' does not influence the loss");
    }

    @Test
    void aTensorThatReachesTheLossOnlyThroughIntegersIsAClearError() {
        GraphBuilder b = new GraphBuilder("argmax");
        Ops o = b.ops();
        Value w = b.parameter("W", randn(2, 3), true);
        Value viaArgMax = o.cast(b.op("ArgMax", List.of(Attr.i("axis", 1)), w), DType.FLOAT);
        Value viaIntCast = o.cast(o.cast(w, DType.INT64), DType.FLOAT);
        Value loss = o.add(sumAll(b, viaArgMax), sumAll(b, viaIntCast));
        assertThatThrownBy(() -> Autodiff.standard().backward(b, loss, List.of("W")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'W' does not influence the loss")
                .hasMessageContaining("through differentiable operators");
    }

    @Test
    void badRequestsAreRejectedUpFront() {
        GraphBuilder b = new GraphBuilder("requests");
        Value w = b.parameter("W", randn(2, 3), true);
        Value ids = b.input("ids", DType.INT64, Shape.of(2));
        Value loss = sumAll(b, b.ops().gather(w, ids, 0));
        Autodiff ad = Autodiff.standard();
        assertThatThrownBy(() -> ad.backward(b, loss, List.of("nope"))).hasMessageContaining("no tensor of that name");
        assertThatThrownBy(() -> ad.backward(b, loss, List.of("ids"))).hasMessageContaining("its type is INT64");
        assertThatThrownBy(() -> ad.backward(b, loss, List.of("W", "W"))).hasMessageContaining("requested twice");
        Value notScalar = b.ops().gather(w, ids, 0);
        assertThatThrownBy(() -> ad.backward(b, notScalar, List.of("W"))).hasMessageContaining("must be a scalar");
    }

    @Test
    void anIntermediateTensorCanBeDifferentiatedToo() {
        GraphBuilder b = new GraphBuilder("intermediate");
        Ops o = b.ops();
        Value w = b.parameter("W", randn(3, 2), true);
        Value h = o.tanh(o.matmul(b.parameter("x", randn(4, 3), false), w));
        Map<String, Value> grads = Autodiff.standard().backward(b, sumAll(b, o.mul(h, h)), List.of("W", h.name()));
        assertThat(grads.get(h.name()).shape().toString()).isEqualTo("[4, 2]");
        assertThat(grads.get("W").shape().toString()).isEqualTo("[3, 2]");
    }

    @Test
    void aRuleThatForgetsToUndoBroadcastingIsCaughtAtTheNode() {
        GradientRegistry broken = GradCheckNegativeControlsTest.standardWith("Add", c -> {
            c.addGrad(0, c.gradOutput(0));
            c.addGrad(1, c.gradOutput(0));
        });
        GraphBuilder b = new GraphBuilder("broadcast");
        Value y = b.ops().add(b.parameter("x", randn(2, 3), true), b.parameter("bias", randn(3), true));
        Value loss = sumAll(b, y);
        assertThatThrownBy(() -> new Autodiff(broken).backward(b, loss, List.of("x", "bias")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Add gradient rule (node Add)")
                .hasMessageContaining("'bias'")
                .hasMessageContaining("unbroadcast");
    }

    @Test
    void dropoutDeclaresItsMaskAndAMasklessTrainingDropoutAsksForIt() {
        GraphBuilder ok = new GraphBuilder("dropout");
        Value y = ok.ops().dropout(ok.parameter("W", randn(2, 3), true), 0.1f);
        assertThat(ok.nodes().get(ok.nodes().size() - 1).outputs()).hasSize(2);
        Autodiff.standard().backward(ok, sumAll(ok, y), List.of("W"));

        GraphBuilder b = new GraphBuilder("maskless");
        Value w = b.parameter("W", randn(2, 3), true);
        Value out = b.node("Dropout", "", List.of(w, b.constant("r", TensorData.scalarFloat(0.1f)),
                b.constant("t", TensorData.ofBools(new long[0], true))), List.of(), 1).get(0);
        assertThatThrownBy(() -> Autodiff.standard().backward(b, sumAll(b, out), List.of("W")))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Dropout gradient (node Dropout)")
                .hasMessageContaining("request it");
    }

    @Test
    void unsupportedSlicesFailClearly() {
        GraphBuilder b = new GraphBuilder("slice");
        Ops o = b.ops();
        Value w = b.parameter("W", randn(4, 3), true);
        Value strided = b.op("Slice", List.of(), w, o.longs(0), o.longs(4), o.longs(0), o.longs(2));
        assertThatThrownBy(() -> Autodiff.standard().backward(b, sumAll(b, strided), List.of("W")))
                .hasMessageContaining("Slice gradient")
                .hasMessageContaining("steps of 1");
    }

    @Test
    void aTrainedValueInANonDifferentiableOperandIsAClearError() {
        GraphBuilder b = new GraphBuilder("ratio");
        Ops o = b.ops();
        Value w = b.parameter("W", randn(2, 3), true);
        Value ratio = o.mul(o.sigmoid(b.op("ReduceMean", List.of(Attr.i("keepdims", 0)), w)), o.scalar(0.5f));
        Value y = b.node("Dropout", "", List.of(w, ratio, b.constant("t", TensorData.ofBools(new long[0], true))),
                List.of(), 2).get(0);
        assertThatThrownBy(() -> Autodiff.standard().backward(b, sumAll(b, y), List.of("W")))
                .isInstanceOf(NonDifferentiableInputException.class)
                .hasMessageContaining("ratio");
    }

    @Test
    void castIsARuleAndIntegerOutputsAreDeclaredNonDifferentiable() {
        GradientRegistry r = GradientRegistry.standard();
        assertThat(r.differentiableOps()).contains("Cast");
        assertThat(r.nonDifferentiableOps()).contains("Shape", "Size", "Equal", "Not", "And", "NonZero",
                "ConstantOfShape", "Range", "OneHot", "ArgMax", "RandomNormalLike").doesNotContain("Cast");
    }
}
