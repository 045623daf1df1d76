package dev.idspam.eval.metrics;

import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metrics over class labels. Every method takes the predicted labels first and the gold labels
 * second, both of the same non-zero length, and returns a value in [0, 1] (MCC in [-1, 1]).
 *
 * <p>Undefined cases follow scikit-learn's defaults: an F1 with no true positives is 0, and an
 * MCC whose denominator is 0 (one side predicts or contains a single class) is 0.
 */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /** Fraction of positions where {@code predicted[i] == gold[i]}. */
    public static double accuracy(int[] predicted, int[] gold) {
        checkPair(predicted, gold);
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (predicted[i] == gold[i]) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    /**
     * Binary F1 of class 1. Labels must be 0 or 1.
     * F1 = 2·tp / (2·tp + fp + fn), which is 0 when there are no true positives (also when
     * neither side has any positive).
     */
    public static double f1(int[] predicted, int[] gold) {
        checkPair(predicted, gold);
        checkBinary(predicted, "predicted");
        checkBinary(gold, "gold");
        return classF1(predicted, gold, 1);
    }

    /**
     * Macro-averaged F1: the plain mean of per-class F1 over the union of classes that appear in
     * the gold or the predicted labels.
     */
    public static double f1Macro(int[] predicted, int[] gold) {
        checkPair(predicted, gold);
        TreeSet<Integer> classes = new TreeSet<>();
        for (int i = 0; i < gold.length; i++) {
            classes.add(gold[i]);
            classes.add(predicted[i]);
        }
        double sum = 0;
        for (int c : classes) {
            sum += classF1(predicted, gold, c);
        }
        return sum / classes.size();
    }

    /** Mean of {@link #accuracy} and {@link #f1Macro}. */
    public static double accuracyAndF1(int[] predicted, int[] gold) {
        return (accuracy(predicted, gold) + f1Macro(predicted, gold)) / 2.0;
    }

    /**
     * Matthews correlation in its multi-class form (Gorodkin's R_K), which reduces to the usual
     * (tp·tn − fp·fn) / sqrt(...) for two classes:
     * (c·s − Σ p_k·t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)), with c the number correct, s the
     * number of examples, p_k and t_k the predicted and true counts of class k.
     */
    public static double matthews(int[] predicted, int[] gold) {
        checkPair(predicted, gold);
        TreeMap<Integer, long[]> counts = new TreeMap<>(); // class -> {predicted, true}
        long correct = 0;
        for (int i = 0; i < gold.length; i++) {
            counts.computeIfAbsent(predicted[i], k -> new long[2])[0]++;
            counts.computeIfAbsent(gold[i], k -> new long[2])[1]++;
            if (predicted[i] == gold[i]) {
                correct++;
            }
        }
        double s = gold.length;
        double pt = 0;
        double pp = 0;
        double tt = 0;
        for (long[] c : counts.values()) {
            pt += (double) c[0] * c[1];
            pp += (double) c[0] * c[0];
            tt += (double) c[1] * c[1];
        }
        double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
        if (denominator == 0) {
            return 0.0;
        }
        return (correct * s - pt) / denominator;
    }

    /** F1 of one class treated as positive: 2·tp / (2·tp + fp + fn), 0 when that is 0/0. */
    static double classF1(int[] predicted, int[] gold, int positive) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean p = predicted[i] == positive;
            boolean g = gold[i] == positive;
            if (p && g) {
                tp++;
            } else if (p) {
                fp++;
            } else if (g) {
                fn++;
            }
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : (2.0 * tp) / denominator;
    }

    static void checkPair(int[] predicted, int[] gold) {
        if (predicted == null || gold == null) {
            throw new IllegalArgumentException("predicted and gold labels are required");
        }
        if (predicted.length != gold.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length
                    + " labels but gold has " + gold.length + "; they must be the same length");
        }
        if (gold.length == 0) {
            throw new IllegalArgumentException("no predictions to score (empty label arrays)");
        }
    }

    static void checkBinary(int[] labels, String what) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(what + " label at index " + i + " is "
                        + labels[i] + "; binary F1 needs labels 0 or 1 (use f1_macro for more classes)");
            }
        }
    }
}
