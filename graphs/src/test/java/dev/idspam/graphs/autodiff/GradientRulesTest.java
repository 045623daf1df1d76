package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.autodiff.GradCheck.Init;
import dev.idspam.graphs.autodiff.GradCheck.Result;
import dev.idspam.graphs.autodiff.GradCheck.Row;
import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The numeric gradient check table: one or more rows per registered rule (see {@link GradCheck}
 * for the method and the error metric). Default tolerances: double analytic vs fd64 1e-6, float
 * analytic vs fd64 1e-4; rows that need other values state them. The table of measured errors is
 * printed after the run.
 */
class GradientRulesTest {
    private static final long END = Long.MAX_VALUE;
    private static final Map<String, Result> RESULTS = new ConcurrentSkipListMap<>();

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // ---- elementwise
        rows.add(new Row("Identity", "Identity", f -> List.of(f.o().identity(f.param("x", 2, 3)))));
        rows.add(new Row("Add [B,L,n]+[n]", "Add", f -> List.of(f.o().add(f.param("a", 2, 3, 4), f.param("b", 4)))));
        rows.add(new Row("Add mask [B,H,L,T]+[B,1,1,T]", "Add",
                f -> List.of(f.o().add(f.param("s", 2, 2, 3, 5), f.param("m", 2, 1, 1, 5)))));
        rows.add(new Row("Add [2,1,3]+[4,1] both broadcast", "Add",
                f -> List.of(f.o().add(f.param("a", 2, 1, 3), f.param("b", 4, 1)))));
        rows.add(new Row("Add scalar+[2,3]", "Add", f -> List.of(f.o().add(f.param("a"), f.param("b", 2, 3)))));
        rows.add(new Row("Add unknown dims (run-time broadcast axes)", "Add", f -> unknownDimsAdd(f, 2)));
        rows.add(new Row("Add unknown dims, run-time size-1 dim", "Add", f -> unknownDimsAdd(f, 1)));
        rows.add(new Row("Sub [2,3,4]-[3,1]", "Sub", f -> List.of(f.o().sub(f.param("a", 2, 3, 4), f.param("b", 3, 1)))));
        rows.add(new Row("Mul [B,L,n]*[n]", "Mul", f -> List.of(f.o().mul(f.param("a", 2, 3, 4), f.param("b", 4)))));
        rows.add(new Row("Mul x*x (one value, two inputs)", "Mul", f -> {
            Value x = f.param("x", 2, 3);
            return List.of(f.o().mul(x, x));
        }));
        rows.add(new Row("Div [2,3]/[3]", "Div",
                f -> List.of(f.o().div(f.param("a", 2, 3), f.param("b", Init.AWAY_FROM_ZERO, 3)))));
        rows.add(new Row("Div [2,3]/[2,1]", "Div",
                f -> List.of(f.o().div(f.param("a", 2, 3), f.param("b", Init.AWAY_FROM_ZERO, 2, 1)))));
        rows.add(new Row("Neg", "Neg", f -> List.of(f.o().neg(f.param("x", 2, 3)))));
        rows.add(new Row("Pow x^3 (constant exponent)", "Pow", f -> List.of(f.o().pow(f.param("x", 2, 3), f.scalar(3)))));
        rows.add(new Row("Pow x^2 (constant exponent)", "Pow", f -> List.of(f.o().pow(f.param("x", 2, 3), f.scalar(2)))));
        rows.add(new Row("Pow x^0.5 (constant, x>0)", "Pow",
                f -> List.of(f.o().pow(f.param("x", Init.POSITIVE, 2, 3), f.scalar(0.5)))));
        rows.add(new Row("Pow a^p general, p [3] broadcast", "Pow",
                f -> List.of(f.o().pow(f.param("a", Init.POSITIVE, 2, 3), f.param("p", 3)))));
        rows.add(new Row("Sqrt", "Sqrt", f -> List.of(f.o().sqrt(f.param("x", Init.POSITIVE, 2, 3)))));
        rows.add(new Row("Exp", "Exp", f -> List.of(f.o().exp(f.param("x", 2, 3)))));
        rows.add(new Row("Erf (no double kernel)", "Erf", f -> List.of(f.o().erf(f.param("x", 2, 3)))).floatOnly(2e-3));
        rows.add(new Row("Tanh", "Tanh", f -> List.of(f.o().tanh(f.param("x", 2, 3)))));
        rows.add(new Row("Relu", "Relu", f -> List.of(f.o().relu(f.param("x", Init.AWAY_FROM_ZERO, 2, 3)))));
        rows.add(new Row("Sigmoid", "Sigmoid", f -> List.of(f.o().sigmoid(f.param("x", 2, 3)))));
        rows.add(new Row("Where cond[2,3] x[2,3] y[3]", "Where", f -> {
            Value cond = f.b.constant("cond", TensorData.ofBools(new long[] {2, 3}, true, false, true, false, false, true));
            return List.of(f.o().where(cond, f.param("x", 2, 3), f.param("y", 3)));
        }));
        rows.add(new Row("Where cond[2,1], scalar x, y[2,3]", "Where", f -> {
            Value cond = f.b.constant("cond", TensorData.ofBools(new long[] {2, 1}, true, false));
            return List.of(f.o().where(cond, f.param("x"), f.param("y", 2, 3)));
        }));
        rows.add(new Row("Sum [2,3]+[3]+[2,1]", "Sum",
                f -> List.of(f.b.op("Sum", List.of(), f.param("a", 2, 3), f.param("b", 3), f.param("c", 2, 1)))));
        rows.add(new Row("Cast same type; int cast carries none", "Cast", f -> {
            Value x = f.param("x", Init.uniform(0.2, 0.8), 2, 3);
            Ops o = f.o();
            Value floor = o.cast(o.cast(o.add(x, f.scalar(2)), DType.INT64), f.type);
            return List.of(o.mul(o.cast(x, f.type), floor));
        }));
        rows.add(new Row("Cast across float types", "Cast", f -> {
            DType other = f.type == DType.DOUBLE ? DType.FLOAT : DType.DOUBLE;
            Ops o = f.o();
            return List.of(o.cast(o.tanh(o.cast(f.param("x", 2, 3), other)), f.type));
        }).fdEps64(1e-3).tol(5e-4, 5e-4)); // a float32 step inside: fd64 needs eps 1e-3 and sees float rounding
        // ---- matrix products
        rows.add(new Row("MatMul 2-D@2-D", "MatMul", f -> List.of(f.o().matmul(f.param("a", 3, 4), f.param("w", 4, 2)))));
        rows.add(new Row("MatMul 3-D@2-D weight", "MatMul",
                f -> List.of(f.o().matmul(f.param("a", 2, 3, 4), f.param("w", 4, 5)))));
        rows.add(new Row("MatMul [B,H,L,d]@[B,H,d,L]", "MatMul",
                f -> List.of(f.o().matmul(f.param("q", 2, 2, 3, 4), f.param("k", 2, 2, 4, 3)))));
        rows.add(new Row("MatMul batch broadcast [2,1,3,4]@[3,4,2]", "MatMul",
                f -> List.of(f.o().matmul(f.param("a", 2, 1, 3, 4), f.param("b", 3, 4, 2)))));
        rows.add(new Row("MatMul 2-D@3-D", "MatMul", f -> List.of(f.o().matmul(f.param("a", 3, 4), f.param("b", 2, 4, 5)))));
        rows.add(new Row("MatMul large (directional check)", "MatMul",
                f -> List.of(f.o().matmul(f.param("a", 4, 6, 8), f.param("w", 8, 10)))));
        rows.add(new Row("Gemm plain", "Gemm", f -> List.of(f.o().gemm(f.param("a", 3, 4), f.param("b", 4, 2), null, false, false))));
        rows.add(new Row("Gemm transB, C[n]", "Gemm",
                f -> List.of(f.o().gemm(f.param("a", 3, 4), f.param("b", 2, 4), f.param("c", 2), false, true))));
        rows.add(new Row("Gemm transA, alpha/beta, C[m,1]", "Gemm", f -> List.of(f.b.op("Gemm",
                List.of(Attr.i("transA", 1), Attr.f("alpha", 0.7f), Attr.f("beta", 1.3f)),
                f.param("a", 4, 3), f.param("b", 4, 2), f.param("c", 3, 1)))));
        rows.add(new Row("Gemm transA+transB, scalar C", "Gemm", f -> List.of(f.b.op("Gemm",
                List.of(Attr.i("transA", 1), Attr.i("transB", 1)), f.param("a", 4, 3), f.param("b", 2, 4), f.param("c")))));
        // ---- data movement
        rows.add(new Row("Reshape [2,3,4]->[6,4]", "Reshape", f -> List.of(f.o().reshape(f.param("x", 2, 3, 4), 6, 4))));
        rows.add(new Row("Reshape [0,-1]", "Reshape", f -> List.of(f.o().reshape(f.param("x", 2, 3, 4), 0, -1))));
        rows.add(new Row("Transpose perm [0,2,1]", "Transpose", f -> List.of(f.o().transpose(f.param("x", 2, 3, 4), 0, 2, 1))));
        rows.add(new Row("Transpose default perm", "Transpose", f -> List.of(f.b.op("Transpose", List.of(), f.param("x", 2, 3, 4)))));
        rows.add(new Row("Unsqueeze axes [0,2]", "Unsqueeze", f -> List.of(f.o().unsqueeze(f.param("x", 2, 3), 0, 2))));
        rows.add(new Row("Unsqueeze axes [-1]", "Unsqueeze", f -> List.of(f.o().unsqueeze(f.param("x", 2, 3), -1))));
        rows.add(new Row("Squeeze axes [1]", "Squeeze", f -> List.of(f.o().squeeze(f.param("x", 2, 1, 3), 1))));
        rows.add(new Row("Squeeze all unit dims (no axes)", "Squeeze",
                f -> List.of(f.b.op("Squeeze", List.of(), f.param("x", 1, 2, 1, 3)))));
        rows.add(new Row("Expand [3,1]->[2,3,4]", "Expand",
                f -> List.of(f.o().expand(f.param("x", 3, 1), f.o().longs(2, 3, 4)))));
        rows.add(new Row("Expand prompt [t,n] by run-time [B,1,1]", "Expand", f -> {
            Value x = f.feed("X", Shape.of("B", "L", 4), Init.NORMAL, 3, 2, 4);
            Ops o = f.o();
            return List.of(o.expand(f.param("P", 2, 4), o.concat(0, o.shape(x, 0, 1), o.longs(1, 1))));
        }));
        rows.add(new Row("Concat axis 1, middle input frozen", "Concat",
                f -> List.of(f.o().concat(1, f.param("a", 2, 1, 3), f.frozen("b", 2, 2, 3), f.param("c", 2, 3, 3)))));
        rows.add(new Row("Concat axis -1", "Concat", f -> List.of(f.o().concat(-1, f.param("a", 2, 2), f.param("b", 2, 3)))));
        rows.add(new Row("Concat after symbolic-length input", "Concat", f -> {
            Value x = f.feed("X", Shape.of("B", "L", 4), Init.NORMAL, 2, 3, 4);
            return List.of(f.o().concat(1, x, f.param("p", 2, 2, 4), f.param("q", 2, 1, 4)));
        }));
        rows.add(new Row("Split [2,6] sizes [2,4]", "Split", f -> f.o().split(f.param("x", 2, 6), 1, 2, 4)));
        rows.add(new Row("Split, first output unused", "Split",
                f -> List.of(f.o().split(f.param("x", 2, 6), 1, 2, 4).get(1))));
        rows.add(new Row("Slice axis 1 [1:3]", "Slice",
                f -> List.of(f.o().slice(f.param("x", 2, 4, 3), new long[] {1}, new long[] {3}, new long[] {1}))));
        rows.add(new Row("Slice negative start, to end, two axes", "Slice", f -> List.of(f.o().slice(f.param("x", 2, 4, 3),
                new long[] {-2, 0}, new long[] {END, 2}, new long[] {1, 2}))));
        rows.add(new Row("Slice symbolic dims (run-time pads)", "Slice", f -> {
            Value x = f.o().mul(f.feed("X", Shape.of("B", "L", 3), Init.NORMAL, 2, 5, 3), f.param("p", 3));
            Ops o = f.o();
            return List.of(o.slice(x, new long[] {1}, new long[] {3}, new long[] {1}),
                    o.slice(x, new long[] {0, 1}, new long[] {2, END}, new long[] {1, 2}));
        }));
        rows.add(new Row("Slice run-time ends", "Slice", f -> {
            Value ends = f.feed("ends", Shape.of(1), TensorData.longs(-1));
            Value x = f.param("x", 2, 5, 3);
            return List.of(f.b.op("Slice", List.of(), x, f.o().longs(1), ends, f.o().longs(1)));
        }));
        rows.add(new Row("Gather axis 0, embedding with repeated ids", "Gather",
                f -> List.of(f.o().gather(f.param("E", 5, 3), f.int64(new long[] {2, 3}, 0, 2, 2, 4, 0, 1), 0))));
        rows.add(new Row("Gather axis 0, run-time ids incl. negative", "Gather", f -> {
            Value ids = f.feed("ids", Shape.of("B", "L"), TensorData.ofLongs(new long[] {2, 2}, 1, -1, 4, 1));
            return List.of(f.o().gather(f.param("E", 5, 3), ids, 0));
        }));
        rows.add(new Row("Gather scalar index on axis 1 (head)", "Gather",
                f -> List.of(f.o().gather(f.param("h", 2, 4, 3), f.o().scalarLong(2), 1))));
        rows.add(new Row("Gather scalar run-time index, symbolic dims", "Gather", f -> {
            Value x = f.o().mul(f.feed("X", Shape.of("B", "T", 3), Init.NORMAL, 2, 4, 3), f.param("p", 3));
            Value t = f.feed("t", Shape.scalar(), TensorData.scalarLong(-2));
            return List.of(f.o().gather(x, t, 1));
        }));
        rows.add(new Row("Gather [2,2] indices on axis 1", "Gather",
                f -> List.of(f.o().gather(f.param("x", 2, 5, 3), f.int64(new long[] {2, 2}, 4, 0, 4, 2), 1))));
        rows.add(new Row("Gather [3] indices on last axis", "Gather",
                f -> List.of(f.o().gather(f.param("x", 2, 3, 4), f.int64(new long[] {3}, 3, 1, 3), -1))));
        // ---- reductions
        rows.add(new Row("ReduceSum axes [0,2] keepdims", "ReduceSum",
                f -> List.of(f.o().reduceSum(f.param("x", 2, 3, 4), true, 0, 2))));
        rows.add(new Row("ReduceSum axes [-1] no keepdims", "ReduceSum",
                f -> List.of(f.o().reduceSum(f.param("x", 2, 3, 4), false, -1))));
        rows.add(new Row("ReduceSum all (no axes input)", "ReduceSum",
                f -> List.of(f.b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), f.param("x", 2, 3, 4)))));
        rows.add(new Row("ReduceMean axes [1] no keepdims", "ReduceMean",
                f -> List.of(f.o().reduceMean(f.param("x", 2, 3, 4), false, 1))));
        rows.add(new Row("ReduceMean all, keepdims", "ReduceMean",
                f -> List.of(f.b.op("ReduceMean", List.of(Attr.i("keepdims", 1)), f.param("x", 2, 3, 4)))));
        rows.add(new Row("ReduceMean symbolic axis (run-time count)", "ReduceMean", f -> {
            Value x = f.o().mul(f.feed("X", Shape.of("B", "L", 3), Init.NORMAL, 2, 4, 3), f.param("p", 3));
            return List.of(f.o().reduceMean(x, false, 1));
        }));
        // ---- network blocks
        rows.add(new Row("Softmax axis -1", "Softmax", f -> List.of(f.o().softmax(f.param("x", 2, 3, 4), -1))));
        rows.add(new Row("Softmax axis 1", "Softmax", f -> List.of(f.o().softmax(f.param("x", 2, 3, 4), 1))));
        rows.add(new Row("LayerNormalization 3 outputs", "LayerNormalization", f -> List.of(f.o().layerNormWithStats(
                f.param("x", 2, 3, 4), f.param("g", Init.normal(1, 0.1), 4), f.param("b", 4), 1e-5f).get(0))));
        rows.add(new Row("LayerNormalization 1 output (recompute)", "LayerNormalization", f -> List.of(f.o().layerNorm(
                f.param("x", 2, 3, 4), f.param("g", Init.normal(1, 0.1), 4), f.param("b", 4), 1e-5f))));
        rows.add(new Row("LayerNormalization axis 1, scale [3,4]", "LayerNormalization", f -> List.of(f.b.node(
                "LayerNormalization", "", List.of(f.param("x", 2, 3, 4), f.param("g", Init.normal(1, 0.1), 3, 4),
                        f.param("b", 3, 4)), List.of(Attr.i("axis", 1)), 3).get(0))));
        rows.add(new Row("Dropout training, ratio 0.3, seeded", "Dropout", f -> List.of(f.b.node("Dropout", "",
                List.of(f.param("x", 3, 8), f.b.constant("ratio", TensorData.scalarFloat(0.3f)),
                        f.b.constant("training", TensorData.ofBools(new long[0], true))),
                List.of(Attr.i("seed", 17)), 2).get(0))).stochastic(2e-3));
        rows.add(new Row("Dropout inference mode", "Dropout", f -> List.of(f.b.node("Dropout", "",
                List.of(f.param("x", 2, 3), f.b.constant("ratio", TensorData.scalarFloat(0.3f))), List.of(), 1).get(0))));
        // ---- losses
        rows.add(new Row("SoftmaxCrossEntropyLoss mean [4,3]", "SoftmaxCrossEntropyLoss",
                f -> List.of(sce(f, f.param("z", 4, 3), f.int64(new long[] {4}, 0, 2, 1, 2), "mean", 1))));
        rows.add(new Row("SoftmaxCrossEntropyLoss with log_prob used", "SoftmaxCrossEntropyLoss", f -> f.b.node(
                "SoftmaxCrossEntropyLoss", "", List.of(f.param("z", 4, 3), f.int64(new long[] {4}, 0, 2, 1, 2)),
                List.of(Attr.s("reduction", "mean")), 2)));
        rows.add(new Row("SoftmaxCrossEntropyLoss sum, scores [2,3,2]", "SoftmaxCrossEntropyLoss",
                f -> List.of(sce(f, f.param("z", 2, 3, 2), f.int64(new long[] {2, 2}, 0, 2, 1, 1), "sum", 1))));
        rows.add(new Row("SoftmaxCrossEntropyLoss none", "SoftmaxCrossEntropyLoss",
                f -> List.of(sce(f, f.param("z", 3, 4), f.int64(new long[] {3}, 3, 0, 1), "none", 2))));
        rows.add(new Row("SoftmaxCrossEntropyLoss symbolic batch", "SoftmaxCrossEntropyLoss", f -> {
            Value z = f.o().add(f.feed("X", Shape.of("B", 3), Init.NORMAL, 5, 3), f.param("p", 3));
            Value labels = f.feed("labels", Shape.of("B"), TensorData.ofLongs(new long[] {5}, 0, 1, 2, 2, 1));
            return List.of(sce(f, z, labels, "mean", 1));
        }));
        // ---- compositions (no single operator; they exercise the engine and rules together)
        rows.add(new Row("MSE via Ops.meanSquaredError", null,
                f -> List.of(f.o().meanSquaredError(f.param("pred", 2, 3), f.frozen("target", 2, 3)))));
        rows.add(new Row("GELU exact, erf form", null, f -> {
            Ops o = f.o();
            Value x = f.param("x", 3, 4);
            Value cdf = o.add(f.scalar(1), o.erf(o.div(x, f.scalar(Math.sqrt(2)))));
            return List.of(o.mul(o.mul(x, f.scalar(0.5)), cdf));
        }).floatOnly(2e-3));
        rows.add(new Row("Trainable layer under a frozen one", null, f -> {
            Ops o = f.o();
            Value h = o.tanh(o.matmul(f.frozen("x", 3, 4), f.param("W1", 4, 5)));
            return List.of(o.add(o.matmul(h, f.frozen("W2", 5, 2)), f.frozen("b2", 2)));
        }));
        rows.add(new Row("Fan-out: one value, three consumers", null, f -> {
            Ops o = f.o();
            Value h = o.matmul(f.param("x", 2, 3), f.param("w", 3, 3));
            return List.of(o.add(o.tanh(h), o.mul(o.sigmoid(h), h)));
        }));
        rows.add(new Row("Prompt layer, static shapes, tanh GELU", null,
                f -> List.of(PromptLayerFixture.build(f, 2, 3, false, false))).tol(1e-6, 2e-4));
        rows.add(new Row("Prompt layer, symbolic B/L (B=2,L=3)", null,
                f -> List.of(PromptLayerFixture.build(f, 2, 3, true, false))).tol(1e-6, 2e-4));
        rows.add(new Row("Prompt layer, symbolic B/L (B=3,L=5)", null,
                f -> List.of(PromptLayerFixture.build(f, 3, 5, true, false))).tol(1e-6, 2e-4));
        rows.add(new Row("Prompt layer, symbolic, erf GELU (float)", null,
                f -> List.of(PromptLayerFixture.build(f, 2, 4, true, true))).floatOnly(5e-3));
        return rows;
    }

    /** [?,1]·p + [?,3]·q with dims unknown (not symbolic): unbroadcast must find the axes at run time. */
    private static List<Value> unknownDimsAdd(GradCheck.Fixture f, int rowsOfA) {
        Shape unknownRows1 = new Shape(List.of(Dim.unknown(), Dim.of(1)));
        Shape unknownRows3 = new Shape(List.of(Dim.unknown(), Dim.of(3)));
        Value a = f.o().mul(f.feed("A", unknownRows1, Init.NORMAL, rowsOfA, 1), f.param("p", 1));
        Value b = f.o().mul(f.feed("B", unknownRows3, Init.NORMAL, 2, 3), f.param("q", 3));
        return List.of(f.o().add(a, b));
    }

    private static Value sce(GradCheck.Fixture f, Value z, Value labels, String reduction, int outputs) {
        return f.b.node("SoftmaxCrossEntropyLoss", "", List.of(z, labels), List.of(Attr.s("reduction", reduction)), outputs)
                .get(0);
    }

    @TestFactory
    Stream<DynamicTest> everyRowMatchesFiniteDifferences() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name, () -> {
            Result r = GradCheck.check(row);
            RESULTS.put(row.name, r);
            assertThat(r.passed()).as(r.describe()).isTrue();
        }));
    }

    @Test
    void everyRegisteredRuleHasARow() {
        Set<String> covered = new TreeSet<>();
        rows().stream().filter(r -> r.op != null).forEach(r -> covered.add(r.op));
        Set<String> missing = new TreeSet<>(GradientRegistry.standard().differentiableOps());
        missing.removeAll(covered);
        assertThat(missing).as("registered gradient rules without a row in GradientRulesTest.rows()").isEmpty();
    }

    @Test
    void rowNamesAreUnique() {
        List<String> names = rows().stream().map(r -> r.name).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @AfterAll
    static void printTable() {
        System.out.println(String.format("%-44s %-24s %-9s %9s %9s %9s %9s", "row", "op", "reference",
                "err f64", "tol f64", "err f32", "tol f32"));
        RESULTS.values().forEach(r -> System.out.println(r.describe()));
    }
}
