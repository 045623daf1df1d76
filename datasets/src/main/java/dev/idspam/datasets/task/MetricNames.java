package dev.idspam.datasets.task;

/**
 * The metric names that {@link Task#metrics()} and {@link Task#primaryMetric()} use. The eval module
 * computes them; this class only fixes the spelling so that both sides agree.
 */
public final class MetricNames {
    /** Fraction of correct predictions. */
    public static final String ACCURACY = "accuracy";
    /** Unweighted mean of the per-class F1 scores. */
    public static final String F1_MACRO = "f1_macro";
    /** Mean of {@link #ACCURACY} and {@link #F1_MACRO} (METHOD.md: MRPC, QQP, CB, zero-shot pairs). */
    public static final String ACC_AND_F1 = "acc_and_f1";
    /** Matthews correlation coefficient (CoLA). */
    public static final String MCC = "mcc";
    /** Pearson correlation of predicted and gold scores (STS-B). */
    public static final String PEARSON = "pearson";
    /** Spearman rank correlation of predicted and gold scores (STS-B). */
    public static final String SPEARMAN = "spearman";
    /** MultiRC: binary F1 over all answer options. */
    public static final String F1A = "f1a";
    /** MultiRC: fraction of questions whose answer options are all predicted correctly. */
    public static final String EM = "em";

    private MetricNames() {
    }
}
