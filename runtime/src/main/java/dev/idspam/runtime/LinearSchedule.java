package dev.idspam.runtime;

/**
 * Linear warm-up to the peak learning rate, then linear decay to 0, as HuggingFace's
 * {@code get_linear_schedule_with_warmup}: update k (0-based) uses
 * {@code peak · k / warmup} while {@code k < warmup}, else {@code peak · (total − k) / (total − warmup)}.
 * With warm-up the first update therefore uses rate 0, as in HF.
 *
 * <p>The trainer computes this itself and calls {@code setLearningRate} before every optimizer
 * step instead of using ORT's {@code registerLinearLRScheduler}: ORT persists only the initial
 * learning rate, resets the current one to 0.001 whenever a session is created, and its scheduler
 * is state inside the session; a pure function of the step counter gives the same rate after a
 * resume as in an uninterrupted run.
 */
public record LinearSchedule(double peak, long warmupSteps, long totalSteps) {
    public LinearSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("learning rate must be > 0 and finite, got " + peak);
        }
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got warmup "
                    + warmupSteps + " of " + totalSteps);
        }
    }

    /** Warm-up of {@code ceil(ratio · total)} steps, as HF's {@code warmup_ratio}. */
    public static LinearSchedule of(double peak, double warmupRatio, long totalSteps) {
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("warm-up ratio must be in [0, 1), got " + warmupRatio);
        }
        return new LinearSchedule(peak, (long) Math.ceil(warmupRatio * totalSteps), totalSteps);
    }

    /** Learning rate of optimizer update {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak * Math.max(0, totalSteps - step) / (double) Math.max(1, totalSteps - warmupSteps);
    }
}
