package dev.idspam.datasets.read;

import java.util.Objects;

/**
 * One labelled input: one or two text segments and either a class index or a regression target.
 *
 * @param id     identifier from the source file (its index column or {@code idx} field), or
 *               {@code <split>-<row ordinal>} when the file has none; never blank
 * @param textA  first segment; never null (the readers refuse blank texts)
 * @param textB  second segment, or null for single-segment tasks
 * @param label  class index into {@code Task.labels()}, or {@link #NO_LABEL} for regression
 * @param target regression target (STS-B score), or NaN for classification
 * @param group  id of the group the example is scored with (COPA question, MultiRC question), or
 *               null for ungrouped tasks
 */
public record Example(String id, String textA, String textB, int label, float target, String group) {

    /** The {@link #label()} of a regression example. */
    public static final int NO_LABEL = -1;

    public Example {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("example id must not be blank");
        }
        Objects.requireNonNull(textA, () -> "example " + id + ": textA must not be null");
        if (label == NO_LABEL) {
            if (!Float.isFinite(target)) {
                throw new IllegalArgumentException("example " + id
                        + ": a regression example needs a finite target, got " + target);
            }
        } else if (label < 0) {
            throw new IllegalArgumentException("example " + id + ": label must be >= 0, got " + label);
        } else if (!Float.isNaN(target)) {
            throw new IllegalArgumentException("example " + id
                    + ": a classification example has target NaN, got " + target);
        }
        if (group != null && group.isBlank()) {
            throw new IllegalArgumentException("example " + id + ": group must be null or non-blank");
        }
    }

    /** A classification example without a group. */
    public static Example classification(String id, String textA, String textB, int label) {
        return new Example(id, textA, textB, label, Float.NaN, null);
    }

    /** A classification example scored together with the other members of {@code group}. */
    public static Example grouped(String id, String textA, String textB, int label, String group) {
        return new Example(id, textA, textB, label, Float.NaN, Objects.requireNonNull(group, "group"));
    }

    /** A regression example (STS-B). */
    public static Example regression(String id, String textA, String textB, float target) {
        return new Example(id, textA, textB, NO_LABEL, target, null);
    }

    public boolean isRegression() {
        return label == NO_LABEL;
    }

    public boolean isPair() {
        return textB != null;
    }
}
