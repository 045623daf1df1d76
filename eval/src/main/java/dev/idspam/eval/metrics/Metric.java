package dev.idspam.eval.metrics;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The metrics that {@link MetricSuite} knows, each with the id used in configs and the store. */
public enum Metric {
    /** Fraction of examples whose predicted class equals the gold class. */
    ACCURACY("accuracy"),
    /** Binary F1 of the positive class 1; 0 when there are no true positives. */
    F1("f1"),
    /** Unweighted mean of per-class F1 over every class seen in gold or predictions. */
    F1_MACRO("f1_macro"),
    /** Mean of accuracy and macro-F1: the paper's score for MRPC, QQP, CB and transfer pairs. */
    ACC_AND_F1("acc_and_f1"),
    /** Matthews correlation coefficient (multi-class form); 0 when undefined. */
    MCC("mcc"),
    /** Pearson correlation of regression outputs; 0 when either side is constant. */
    PEARSON("pearson"),
    /** Spearman rank correlation of regression outputs; 0 when either side is constant. */
    SPEARMAN("spearman"),
    /** MultiRC F1a: binary F1 over all answer options of all questions. */
    F1A("f1a"),
    /** MultiRC exact match: fraction of questions whose answer options are all right. */
    EM("em"),
    /** COPA-style accuracy: per group of candidate rows, is the highest-scoring row correct. */
    CHOICE_ACCURACY("choice_accuracy");

    private final String id;

    Metric(String id) {
        this.id = id;
    }

    /** The id used in metric lists, records and reports, e.g. {@code "acc_and_f1"}. */
    public String id() {
        return id;
    }

    /** True for metrics computed from regression outputs rather than class labels. */
    public boolean isRegression() {
        return this == PEARSON || this == SPEARMAN;
    }

    /** Looks a metric up by its id; the error lists every known id. */
    public static Metric fromId(String id) {
        for (Metric m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "'; known metrics: "
                + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", ")));
    }
}
