package dev.idspam.graphs.build;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Typed helpers over {@link GraphBuilder#node} for the operators used throughout the project (opset 17). */
public final class Ops {
    private final GraphBuilder b;

    Ops(GraphBuilder b) {
        this.b = b;
    }

    private Value op(String type, Value... in) {
        return b.op(type, List.of(), in);
    }

    private Value op(String type, List<Attr> attrs, Value... in) {
        return b.op(type, attrs, in);
    }

    public Value add(Value x, Value y) {
        return op("Add", x, y);
    }

    public Value sub(Value x, Value y) {
        return op("Sub", x, y);
    }

    public Value mul(Value x, Value y) {
        return op("Mul", x, y);
    }

    public Value div(Value x, Value y) {
        return op("Div", x, y);
    }

    public Value pow(Value x, Value y) {
        return op("Pow", x, y);
    }

    public Value neg(Value x) {
        return op("Neg", x);
    }

    public Value sqrt(Value x) {
        return op("Sqrt", x);
    }

    public Value erf(Value x) {
        return op("Erf", x);
    }

    public Value tanh(Value x) {
        return op("Tanh", x);
    }

    public Value relu(Value x) {
        return op("Relu", x);
    }

    public Value sigmoid(Value x) {
        return op("Sigmoid", x);
    }

    public Value exp(Value x) {
        return op("Exp", x);
    }

    public Value identity(Value x) {
        return op("Identity", x);
    }

    public Value matmul(Value x, Value y) {
        return op("MatMul", x, y);
    }

    /** Y = alpha·op(A)·op(B) + beta·C for 2-D operands. */
    public Value gemm(Value a, Value bMat, Value c, boolean transA, boolean transB) {
        List<Attr> attrs = new ArrayList<>();
        if (transA) {
            attrs.add(Attr.i("transA", 1));
        }
        if (transB) {
            attrs.add(Attr.i("transB", 1));
        }
        return c == null ? b.node("Gemm", "", Arrays.asList(a, bMat), attrs, 1).get(0) : op("Gemm", attrs, a, bMat, c);
    }

    public Value softmax(Value x, int axis) {
        return op("Softmax", List.of(Attr.i("axis", axis)), x);
    }

    public Value cast(Value x, DType to) {
        return op("Cast", List.of(Attr.i("to", to.onnxCode())), x);
    }

    public Value transpose(Value x, long... perm) {
        return op("Transpose", List.of(Attr.ints("perm", perm)), x);
    }

    public Value reshape(Value x, long... shape) {
        return op("Reshape", x, b.constant("shape", TensorData.longs(shape)));
    }

    public Value reshape(Value x, Value shape) {
        return op("Reshape", x, shape);
    }

    public Value unsqueeze(Value x, long... axes) {
        return op("Unsqueeze", x, b.constant("axes", TensorData.longs(axes)));
    }

    public Value squeeze(Value x, long... axes) {
        return op("Squeeze", x, b.constant("axes", TensorData.longs(axes)));
    }

    public Value expand(Value x, Value shape) {
        return op("Expand", x, shape);
    }

    public Value concat(int axis, Value... xs) {
        return op("Concat", List.of(Attr.i("axis", axis)), xs);
    }

    public List<Value> split(Value x, int axis, long... sizes) {
        return b.node("Split", "", List.of(x, b.constant("split", TensorData.longs(sizes))),
                List.of(Attr.i("axis", axis)), sizes.length);
    }

    /** Slice along the given axes with constant bounds (use Long.MAX_VALUE for "to the end"). */
    public Value slice(Value x, long[] starts, long[] ends, long[] axes) {
        return op("Slice", x, b.constant("starts", TensorData.longs(starts)), b.constant("ends", TensorData.longs(ends)),
                b.constant("axes", TensorData.longs(axes)));
    }

    public Value gather(Value x, Value indices, int axis) {
        return op("Gather", List.of(Attr.i("axis", axis)), x, indices);
    }

    public Value reduceSum(Value x, boolean keepDims, long... axes) {
        return op("ReduceSum", List.of(Attr.i("keepdims", keepDims ? 1 : 0)), x, b.constant("axes", TensorData.longs(axes)));
    }

    public Value reduceMean(Value x, boolean keepDims, long... axes) {
        return op("ReduceMean", List.of(Attr.ints("axes", axes), Attr.i("keepdims", keepDims ? 1 : 0)), x);
    }

    public Value where(Value cond, Value x, Value y) {
        return op("Where", cond, x, y);
    }

    public Value equal(Value x, Value y) {
        return op("Equal", x, y);
    }

    public Value greater(Value x, Value y) {
        return op("Greater", x, y);
    }

    public Value shape(Value x) {
        return op("Shape", x);
    }

    /** Dims [start, end) of x's shape as a 1-D int64 tensor. */
    public Value shape(Value x, long start, long end) {
        return op("Shape", List.of(Attr.i("start", start), Attr.i("end", end)), x);
    }

    public Value layerNorm(Value x, Value scale, Value bias, float epsilon) {
        return op("LayerNormalization", List.of(Attr.i("axis", -1), Attr.f("epsilon", epsilon)), x, scale, bias);
    }

    /**
     * LayerNormalization over the last axis declaring all three outputs (Y, Mean, InvStdDev), for
     * training graphs: the gradient rule reuses Mean and InvStdDev instead of recomputing them.
     */
    public List<Value> layerNormWithStats(Value x, Value scale, Value bias, float epsilon) {
        return b.node("LayerNormalization", "", List.of(x, scale, bias),
                List.of(Attr.i("axis", -1), Attr.f("epsilon", epsilon)), 3);
    }

    /**
     * Training-mode dropout with a fixed ratio. Returns the output only; the node also declares its
     * mask output, which the gradient rule reuses.
     */
    public Value dropout(Value x, float ratio) {
        Value r = b.constant("dropout_ratio", TensorData.scalarFloat(ratio));
        Value training = b.constant("training_mode", TensorData.ofBools(new long[0], true));
        return b.node("Dropout", "", List.of(x, r, training), List.of(), 2).get(0);
    }

    public Value scalar(float v) {
        return b.constant("c", TensorData.scalarFloat(v));
    }

    /** A scalar constant with the element type of {@code like} (rules use this, so graphs may be float or double). */
    public Value scalarLike(Value like, double v) {
        return b.constant("c", TensorData.scalarOf(like.type(), v));
    }

    public Value scalarLong(long v) {
        return b.constant("c", TensorData.scalarLong(v));
    }

    public Value longs(long... v) {
        return b.constant("c", TensorData.longs(v));
    }

    /** Dense layer y = x·W + bias (bias may be null). */
    public Value linear(Value x, Value w, Value bias) {
        Value y = matmul(x, w);
        return bias == null ? y : add(y, bias);
    }

    /** Mean squared error over all elements, mean((pred - target)²), as a scalar (differentiated op by op). */
    public Value meanSquaredError(Value pred, Value target) {
        Value d = sub(pred, target);
        return op("ReduceMean", List.of(Attr.i("keepdims", 0)), mul(d, d));
    }

    /** Mean softmax cross-entropy over the batch; logits [B, C], labels int64 [B]. */
    public Value softmaxCrossEntropy(Value logits, Value labels) {
        return b.node("SoftmaxCrossEntropyLoss", "", List.of(logits, labels), List.of(Attr.s("reduction", "mean")), 1).get(0);
    }
}
