package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Numeric gradient check of the autodiff rules against ONNX Runtime.
 *
 * <p>A {@link Row} builds a small forward graph whose trainable parameters are graph inputs. The
 * check makes the scalar loss Σᵢ ReduceSum(outᵢ·Rᵢ) with fixed random weights Rᵢ (so every output
 * element matters), appends the backward pass, runs it in ONNX Runtime and compares the
 * {@code <p>_grad} outputs with central differences of the same forward graph:
 * <ul>
 *   <li>DOUBLE rows (ORT has double kernels for every op of the row): the reference is central
 *   differences of the double graph (eps 1e-6); both the double and the float analytic gradient are
 *   compared with it.</li>
 *   <li>FLOAT rows (an op without a double CPU kernel, e.g. Erf): the reference is central differences
 *   of the float graph with eps {@link Row#fdEps32} (≈1e-2), so the tolerance is looser.</li>
 *   <li>Stochastic rows (Dropout): each evaluation gets a fresh session, so every run draws the same
 *   seeded mask; each precision is compared with differences in its own precision.</li>
 * </ul>
 * Tensors with more than {@link #FULL_LIMIT} elements are checked along {@link #DIRECTIONS} seeded
 * random unit directions (directional derivative) instead of element by element.
 *
 * <p>Error metric: element-wise, max|g − ref| / max|ref|; along directions,
 * max_k |g·v_k − ref_k| / max(‖g‖, max_k |ref_k|). Parameter values, random weights and directions
 * come from {@link SplittableRandom}s seeded by the row and tensor names; values are rounded to
 * float so the float and double graphs see the same numbers.
 */
final class GradCheck {
    static final int FULL_LIMIT = 64;
    static final int DIRECTIONS = 4;
    static final double EPS64 = 1e-6;

    private GradCheck() {
    }

    /** Builds a row's forward graph and returns the outputs the loss weighs. */
    @FunctionalInterface
    interface Model {
        List<Value> build(Fixture f);
    }

    /** How the values of a tensor are drawn. */
    @FunctionalInterface
    interface Init {
        double sample(SplittableRandom r);

        Init NORMAL = r -> gaussian(r);
        /** (0.5, 2): for Sqrt, Pow with a general exponent, denominators. */
        Init POSITIVE = r -> 0.5 + 1.5 * r.nextDouble();
        /** ±(0.2, 1.5): keeps Relu and comparisons away from their kinks. */
        Init AWAY_FROM_ZERO = r -> (r.nextBoolean() ? 1 : -1) * (0.2 + 1.3 * r.nextDouble());

        static Init normal(double mean, double std) {
            return r -> mean + std * gaussian(r);
        }

        static Init uniform(double lo, double hi) {
            return r -> lo + (hi - lo) * r.nextDouble();
        }
    }

    /** One row of the table: what it tests and how tightly. */
    static final class Row {
        final String name;
        final String op;
        final Model model;
        boolean doubleKernels = true;
        boolean stochastic;
        double tolDouble = 1e-6;
        double tolFloat = 1e-4;
        double fdEps32 = 1e-2;
        double fdEps64 = EPS64;

        Row(String name, String op, Model model) {
            this.name = name;
            this.op = op;
            this.model = model;
        }

        /** An op of the row has no double CPU kernel: compare with float32 differences. */
        Row floatOnly(double tolerance) {
            doubleKernels = false;
            tolFloat = tolerance;
            return this;
        }

        Row stochastic(double tolFloatVsFd32) {
            stochastic = true;
            tolFloat = tolFloatVsFd32;
            return this;
        }

        Row tol(double tolDoubleVsFd64, double tolFloatVsRef) {
            tolDouble = tolDoubleVsFd64;
            tolFloat = tolFloatVsRef;
            return this;
        }

        Row fdEps64(double eps) {
            fdEps64 = eps;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The measured errors of one row. {@code errDouble} is NaN for float-only rows. */
    record Result(Row row, double errDouble, double errFloat, String mode, int nodesForward, int nodesBackward) {
        boolean passed() {
            return (Double.isNaN(errDouble) || errDouble <= row.tolDouble) && errFloat <= row.tolFloat;
        }

        String describe() {
            return String.format("%-44s %-24s %-9s %9s %9s %9s %9s", row.name, row.op == null ? "(composite)" : row.op, mode,
                    Double.isNaN(errDouble) ? "-" : String.format("%.1e", errDouble),
                    Double.isNaN(errDouble) ? "-" : String.format("%.0e", row.tolDouble),
                    String.format("%.1e", errFloat), String.format("%.0e", row.tolFloat));
        }
    }

    /** What a row's model sees while building: the builder, the precision, and seeded tensors. */
    static final class Fixture {
        final GraphBuilder b;
        final DType type;
        private final Values values;

        Fixture(GraphBuilder b, DType type, Values values) {
            this.b = b;
            this.type = type;
            this.values = values;
        }

        Ops o() {
            return b.ops();
        }

        /** A trainable parameter, N(0, 1). */
        Value param(String name, long... shape) {
            return param(name, Init.NORMAL, shape);
        }

        Value param(String name, Init init, long... shape) {
            return b.parameter(name, tensor(values.get(name, init, shape), shape), true);
        }

        /** A frozen parameter (graph input without a gradient). */
        Value frozen(String name, long... shape) {
            return frozen(name, Init.NORMAL, shape);
        }

        Value frozen(String name, Init init, long... shape) {
            return b.parameter(name, tensor(values.get(name, init, shape), shape), false);
        }

        /** A float user input fed at run time, declared with a (possibly symbolic) shape. */
        Value feed(String name, Shape declared, Init init, long... shape) {
            values.feeds.put(name, () -> tensor(values.get(name, init, shape), shape));
            return b.input(name, type, declared);
        }

        /** An integer (or boolean) user input fed at run time, declared with a (possibly symbolic) shape. */
        Value feed(String name, Shape declared, TensorData value) {
            values.feeds.put(name, () -> value);
            return b.input(name, value.type(), declared);
        }

        /** A constant of the row's precision with seeded values. */
        Value constant(String name, Init init, long... shape) {
            return b.constant(name, tensor(values.get(name, init, shape), shape));
        }

        Value scalar(double v) {
            return o().scalarLike(new Value("like", type, Shape.scalar()), v);
        }

        Value int64(long[] shape, long... v) {
            return b.constant("idx", TensorData.ofLongs(shape, v));
        }

        TensorData tensor(double[] v, long... shape) {
            if (type == DType.DOUBLE) {
                return TensorData.ofDoubles(shape, v);
            }
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            return TensorData.ofFloats(shape, f);
        }
    }

    /** Seeded tensor values shared by all builds of one row (float and double graphs alike). */
    static final class Values {
        private final long seed;
        private final Map<String, double[]> data = new LinkedHashMap<>();
        private final Map<String, java.util.function.Supplier<TensorData>> feeds = new LinkedHashMap<>();

        Values(long seed) {
            this.seed = seed;
        }

        double[] get(String name, Init init, long... shape) {
            return data.computeIfAbsent(name, k -> {
                SplittableRandom r = new SplittableRandom(seed * 1_000_003L + name.hashCode());
                double[] v = new double[(int) TensorData.count(shape)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) init.sample(r);
                }
                return v;
            });
        }
    }

    /** A built graph with everything needed to run it. */
    private record Built(Graph graph, List<String> trainable, Map<String, TensorData> feeds, int nodesForward,
                         int nodesBackward) {
    }

    static Result check(Row row) {
        return check(row, GradientRegistry.standard());
    }

    static Result check(Row row, GradientRegistry registry) {
        long seed = row.name.hashCode();
        Values values = new Values(seed);
        Map<String, long[]> weightShapes = outputShapes(row, values);
        Built d = row.doubleKernels ? build(row, DType.DOUBLE, values, weightShapes, registry, true) : null;
        Built f = build(row, DType.FLOAT, values, weightShapes, registry, true);
        Map<String, double[]> gradD = d == null ? null : analytic(d);
        Map<String, double[]> gradF = analytic(f);
        SplittableRandom dirs = new SplittableRandom(seed ^ 0x5DEECE66DL);
        String mode = row.doubleKernels ? (row.stochastic ? "fd64+fd32" : "fd64") : "fd32";
        double errD = Double.NaN;
        double errF = 0;
        boolean anyDirectional = false;
        Built fwdD = row.doubleKernels ? build(row, DType.DOUBLE, values, weightShapes, registry, false) : null;
        Built fwdF = !row.doubleKernels || row.stochastic ? build(row, DType.FLOAT, values, weightShapes, registry, false) : null;
        try (OrtRunner runD = fwdD != null && !row.stochastic ? new OrtRunner(fwdD.graph) : null;
             OrtRunner runF = fwdF != null && !row.stochastic ? new OrtRunner(fwdF.graph) : null) {
            for (String p : f.trainable) {
                double[] x = values.data.get(p);
                boolean full = x.length <= FULL_LIMIT;
                anyDirectional |= !full;
                double[][] directions = full ? null : randomDirections(dirs, x.length);
                if (fwdD != null) {
                    Reference ref = reference(fwdD, runD, values, p, row.fdEps64, directions);
                    errD = Math.max(Double.isNaN(errD) ? 0 : errD, ref.error(gradD.get(p)));
                    if (!row.stochastic) {
                        errF = Math.max(errF, ref.error(gradF.get(p)));
                    }
                }
                if (fwdF != null) {
                    Reference ref = reference(fwdF, runF, values, p, row.fdEps32, directions);
                    errF = Math.max(errF, ref.error(gradF.get(p)));
                }
            }
        }
        return new Result(row, errD, errF, mode + (anyDirectional ? "+dir" : ""), f.nodesForward, f.nodesBackward);
    }

    /** Run-time shapes of the row's outputs (probing the graph once when the static shapes leave them open). */
    private static Map<String, long[]> outputShapes(Row row, Values values) {
        GraphBuilder b = new GraphBuilder("probe");
        Fixture fx = new Fixture(b, DType.FLOAT, values);
        List<Value> outs = row.model.build(fx);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        boolean allStatic = outs.stream().allMatch(v -> v.hasShape() && v.shape().isFullyKnown());
        if (allStatic) {
            for (int i = 0; i < outs.size(); i++) {
                shapes.put("R" + i, outs.get(i).shape().sizes());
            }
            return shapes;
        }
        List<String> names = new ArrayList<>();
        for (Value v : outs) {
            b.output(v);
            names.add(v.name());
        }
        Graph g = b.build();
        try (OrtRunner run = new OrtRunner(g)) {
            Map<String, TensorData> res = run.run(feeds(g, values, DType.FLOAT, Map.of()), names);
            for (int i = 0; i < outs.size(); i++) {
                shapes.put("R" + i, res.get(names.get(i)).dims());
            }
        }
        return shapes;
    }

    private static Built build(Row row, DType type, Values values, Map<String, long[]> weightShapes,
                               GradientRegistry registry, boolean withGrad) {
        GraphBuilder b = new GraphBuilder(row.name.replaceAll("[^A-Za-z0-9]+", "_"));
        Fixture fx = new Fixture(b, type, values);
        List<Value> outs = row.model.build(fx);
        if (row.op != null && b.nodes().stream().noneMatch(n -> n.opType().equals(row.op))) {
            throw new IllegalStateException("row '" + row.name + "' is filed under " + row.op
                    + " but its graph has no such node");
        }
        Ops o = b.ops();
        Value loss = null;
        Map<String, TensorData> weights = new LinkedHashMap<>();
        for (int i = 0; i < outs.size(); i++) {
            Value out = outs.get(i);
            long[] shape = weightShapes.get("R" + i);
            Value r = b.input("R" + i, type, out.shape());
            weights.put("R" + i, fx.tensor(values.get("R" + i, Init.NORMAL, shape), shape));
            Value weighted = o.mul(out, r);
            Value term = out.hasShape() && out.rank() == 0 ? weighted
                    : b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), weighted);
            loss = loss == null ? term : o.add(loss, term);
        }
        b.output(loss, "loss");
        int nodesForward = b.nodes().size();
        List<String> trainable = b.parameters().stream().filter(p -> p.trainable()).map(p -> p.name()).toList();
        if (withGrad) {
            Map<String, Value> grads = new Autodiff(registry).backward(b, b.value("loss"), trainable);
            grads.values().forEach(b::output);
        }
        Graph g = b.build();
        return new Built(g, trainable, feeds(g, values, type, weights), nodesForward, b.nodes().size() - nodesForward);
    }

    private static Map<String, TensorData> feeds(Graph g, Values values, DType type, Map<String, TensorData> weights) {
        Map<String, TensorData> feeds = new LinkedHashMap<>();
        Map<String, TensorData> params = new LinkedHashMap<>();
        g.parameters().forEach(p -> params.put(p.name(), p.initial()));
        for (Value in : g.inputs()) {
            TensorData t = params.containsKey(in.name()) ? params.get(in.name())
                    : weights.containsKey(in.name()) ? weights.get(in.name())
                    : values.feeds.containsKey(in.name()) ? values.feeds.get(in.name()).get() : null;
            if (t == null) {
                throw new IllegalStateException("no value to feed for input " + in.name());
            }
            feeds.put(in.name(), t);
        }
        return feeds;
    }

    private static Map<String, double[]> analytic(Built built) {
        List<String> names = new ArrayList<>();
        built.trainable.forEach(p -> names.add(p + "_grad"));
        Map<String, double[]> out = new LinkedHashMap<>();
        try (OrtRunner run = new OrtRunner(built.graph)) {
            Map<String, TensorData> res = run.run(built.feeds, names);
            for (String p : built.trainable) {
                out.put(p, res.get(p + "_grad").toDoubleArray());
            }
        }
        return out;
    }

    /** Central differences of the loss, element by element or along given directions. */
    private record Reference(double[] values, boolean directional, double[][] directions) {
        double error(double[] g) {
            if (!directional) {
                double maxRef = 0;
                double maxDiff = 0;
                for (int i = 0; i < g.length; i++) {
                    maxRef = Math.max(maxRef, Math.abs(values[i]));
                    maxDiff = Math.max(maxDiff, Math.abs(g[i] - values[i]));
                }
                return maxDiff == 0 ? 0 : maxDiff / Math.max(maxRef, 1e-30);
            }
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            double scale = Math.sqrt(norm);
            double maxDiff = 0;
            for (int k = 0; k < directions.length; k++) {
                double dot = 0;
                for (int i = 0; i < g.length; i++) {
                    dot += g[i] * directions[k][i];
                }
                scale = Math.max(scale, Math.abs(values[k]));
                maxDiff = Math.max(maxDiff, Math.abs(dot - values[k]));
            }
            return maxDiff == 0 ? 0 : maxDiff / Math.max(scale, 1e-30);
        }
    }

    /** Differences on the shared session, or on a fresh session per evaluation when {@code shared} is null. */
    private static Reference reference(Built fwd, OrtRunner shared, Values values, String p, double eps,
                                       double[][] directions) {
        double[] x = values.data.get(p);
        long[] dims = fwd.feeds.get(p).dims();
        DType type = fwd.feeds.get(p).type();
        int n = directions == null ? x.length : directions.length;
        double[] ref = new double[n];
        for (int k = 0; k < n; k++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            if (directions == null) {
                plus[k] += eps;
                minus[k] -= eps;
            } else {
                for (int i = 0; i < x.length; i++) {
                    plus[i] += eps * directions[k][i];
                    minus[i] -= eps * directions[k][i];
                }
            }
            double lp = loss(fwd, shared, p, tensorOf(type, dims, plus));
            double lm = loss(fwd, shared, p, tensorOf(type, dims, minus));
            ref[k] = (lp - lm) / (2 * eps);
        }
        return new Reference(ref, directions != null, directions);
    }

    private static double loss(Built fwd, OrtRunner shared, String p, TensorData value) {
        Map<String, TensorData> feeds = new LinkedHashMap<>(fwd.feeds);
        feeds.put(p, value);
        if (shared != null) {
            return shared.run(feeds, List.of("loss")).get("loss").toDoubleArray()[0];
        }
        try (OrtRunner fresh = new OrtRunner(fwd.graph)) {
            return fresh.run(feeds, List.of("loss")).get("loss").toDoubleArray()[0];
        }
    }

    private static TensorData tensorOf(DType type, long[] dims, double[] v) {
        if (type == DType.DOUBLE) {
            return TensorData.ofDoubles(dims, v);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return TensorData.ofFloats(dims, f);
    }

    private static double[][] randomDirections(SplittableRandom r, int n) {
        double[][] out = new double[DIRECTIONS][n];
        for (double[] v : out) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                v[i] = gaussian(r);
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                v[i] /= norm;
            }
        }
        return out;
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
