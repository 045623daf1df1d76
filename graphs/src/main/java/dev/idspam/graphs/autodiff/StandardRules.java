package dev.idspam.graphs.autodiff;

/**
 * The table of gradient rules for the standard ONNX operators used by the backbones, prompt
 * generators, heads and losses: one line per operator. The rule bodies live in the themed classes
 * ({@link ElementwiseRules}, {@link ShapeRules}, {@link ReductionRules}, {@link NnRules},
 * {@link LossRules}); every rule emits standard ONNX operators only (opset 17), and each starts with
 * its math. To add an operator, write its rule in the class of its theme, add its line here and a row
 * to the numeric gradient check table (GradientRulesTest), whose meta-test fails without it.
 *
 * <p>Contrib kernels ({@code com.microsoft}) are deliberately not used: the standard-op backward
 * was faster on the target CPUs (see BACKWARD-PERFORMANCE.md). A registry that prefers them would be
 * a second table beside this one, registered into a fresh {@link GradientRegistry}.
 */
final class StandardRules {
    private StandardRules() {
    }

    static void registerAll(GradientRegistry r) {
        // Outputs that carry no gradient: shapes, sizes, booleans, indices, index-producing ops, and random
        // draws (RandomNormalLike reads only the shape of its input; its output is a constant sample).
        for (String op : new String[] {"Shape", "Size", "Equal", "Greater", "Less", "GreaterOrEqual",
                "LessOrEqual", "Not", "And", "Or", "NonZero", "ConstantOfShape", "Range", "OneHot", "ArgMax",
                "RandomNormalLike"}) {
            r.declareNonDifferentiable(op);
        }
        // Elementwise
        r.register("Identity", ElementwiseRules::identity);
        r.register("Add", ElementwiseRules::add);
        r.register("Sub", ElementwiseRules::sub);
        r.register("Mul", ElementwiseRules::mul);
        r.register("Div", ElementwiseRules::div);
        r.register("Neg", ElementwiseRules::neg);
        r.register("Pow", ElementwiseRules::pow);
        r.register("Sqrt", ElementwiseRules::sqrt);
        r.register("Exp", ElementwiseRules::exp);
        r.register("Erf", ElementwiseRules::erf);
        r.register("Tanh", ElementwiseRules::tanh);
        r.register("Relu", ElementwiseRules::relu);
        r.register("Sigmoid", ElementwiseRules::sigmoid);
        r.register("Where", ElementwiseRules::where);
        r.register("Sum", ElementwiseRules::sum);
        r.register("Cast", ElementwiseRules::cast);
        // Data movement
        r.register("Reshape", ShapeRules::reshape);
        r.register("Transpose", ShapeRules::transpose);
        r.register("Unsqueeze", ShapeRules::unsqueeze);
        r.register("Squeeze", ShapeRules::squeeze);
        r.register("Expand", ShapeRules::expand);
        r.register("Concat", ShapeRules::concat);
        r.register("Split", ShapeRules::split);
        r.register("Slice", ShapeRules::slice);
        r.register("Gather", ShapeRules::gather);
        // Reductions
        r.register("ReduceSum", ReductionRules::reduceSum);
        r.register("ReduceMean", ReductionRules::reduceMean);
        // Network blocks
        r.register("MatMul", NnRules::matmul);
        r.register("Gemm", NnRules::gemm);
        r.register("Softmax", NnRules::softmax);
        r.register("LayerNormalization", NnRules::layerNormalization);
        r.register("Dropout", NnRules::dropout);
        // Losses
        r.register("SoftmaxCrossEntropyLoss", LossRules::softmaxCrossEntropyLoss);
    }
}
