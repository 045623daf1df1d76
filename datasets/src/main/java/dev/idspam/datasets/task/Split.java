package dev.idspam.datasets.task;

import java.util.Locale;

/**
 * A labelled data split. Test splits of GLUE and SuperGLUE carry no labels and are not modelled.
 *
 * <p>{@link #DEV} is the split papers report: {@code dev.tsv} for GLUE, {@code val.jsonl} for
 * SuperGLUE, {@code dev_matched.tsv} for MNLI, and the labelled {@code test} folder for IMDB (which
 * has no dev split). {@link #DEV_MISMATCHED} exists only for MNLI.
 */
public enum Split {
    TRAIN("train"),
    DEV("dev"),
    DEV_MISMATCHED("dev_mismatched");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    /** The lower-case name used in messages and command lines ("train", "dev", "dev_mismatched"). */
    public String label() {
        return label;
    }

    /** Parses {@code train}, {@code dev}, {@code dev_mismatched} (any case; "validation"/"val" mean dev). */
    public static Split parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "train":
                return TRAIN;
            case "dev":
            case "val":
            case "validation":
            case "dev_matched":
                return DEV;
            case "dev_mismatched":
                return DEV_MISMATCHED;
            default:
                throw new IllegalArgumentException(
                        "unknown split '" + name + "'; expected one of train, dev, dev_mismatched");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
