package dev.idspam.runtime;

import java.util.Map;

/**
 * A dev-set metric computed from eval outputs, pluggable so the runtime needs no metrics module.
 * The trainer keeps the epoch with the best value as {@code best.ckpt}.
 */
public interface EvalMetric {
    /** Name reported in summaries (e.g. "accuracy", "f1", "loss"). */
    String name();

    boolean higherIsBetter();

    /** A fresh accumulator for one pass over the dev set. */
    Accumulator newAccumulator();

    /** Collects one pass. */
    interface Accumulator {
        /** One dev batch and all eval outputs for it ({@code loss} first, then e.g. {@code logits}). */
        void add(Batch batch, Map<String, HostTensor> outputs);

        double result();
    }

    /** The example-weighted mean eval loss; lower is better. */
    static EvalMetric meanLoss() {
        return new EvalMetric() {
            @Override
            public String name() {
                return "loss";
            }

            @Override
            public boolean higherIsBetter() {
                return false;
            }

            @Override
            public Accumulator newAccumulator() {
                return new Accumulator() {
                    private double sum;
                    private long n;

                    @Override
                    public void add(Batch batch, Map<String, HostTensor> outputs) {
                        long rows = batch.rows();
                        sum += ((HostTensor.Floats) outputs.get("loss")).scalar() * (double) rows;
                        n += rows;
                    }

                    @Override
                    public double result() {
                        return n == 0 ? Double.NaN : sum / n;
                    }
                };
            }
        };
    }
}
