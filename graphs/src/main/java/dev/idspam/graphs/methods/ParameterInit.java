package dev.idspam.graphs.methods;

import dev.idspam.graphs.build.TensorData;

import java.util.SplittableRandom;

/**
 * Seeded initial values for new trainable tensors. Each tensor draws from its own stream derived
 * from the seed and the tensor's name, so adding a tensor does not change the others' values.
 */
public final class ParameterInit {
    private final long seed;

    public ParameterInit(long seed) {
        this.seed = seed;
    }

    /** N(0, std²) entries. */
    public TensorData normal(String name, double std, long... dims) {
        SplittableRandom r = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        int n = Math.toIntExact(TensorData.count(dims));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian(r) * std);
        }
        return TensorData.ofFloats(dims, v);
    }

    public TensorData zeros(long... dims) {
        return TensorData.ofFloats(dims, new float[Math.toIntExact(TensorData.count(dims))]);
    }

    /** Box–Muller on two uniforms from the stream. */
    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
