package dev.idspam.runtime;

/**
 * The training loss became NaN or infinite. Raised before the optimizer step that would have
 * applied the batch's gradients, so the weights in the session and in the last checkpoint are intact.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;
    private final long optimizerStep;
    private final float loss;

    TrainingDivergedException(int epoch, int batch, int batchesPerEpoch, long optimizerStep, float loss, String lastGood) {
        super("training loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1) + " of "
                + batchesPerEpoch + " (0-based: epoch " + epoch + ", batch index " + batch + "), during optimizer step "
                + (optimizerStep + 1) + "; stopped before applying it. " + lastGood
                + ". Lower the learning rate or check that batch's inputs");
        this.epoch = epoch;
        this.batch = batch;
        this.optimizerStep = optimizerStep;
        this.loss = loss;
    }

    /** 0-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** 0-based index of the batch within its epoch. */
    public int batch() {
        return batch;
    }

    /** 0-based index of the optimizer step the batch belonged to. */
    public long optimizerStep() {
        return optimizerStep;
    }

    public float loss() {
        return loss;
    }
}
