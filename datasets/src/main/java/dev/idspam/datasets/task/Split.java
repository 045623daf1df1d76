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

    /**
     * A split as the command line and CI suites name it ({@code dev}, {@code dev-mismatched} or
     * {@code dev_mismatched}, {@code train}); empty for any other word, which the caller refuses in its
     * own terms (option or field).
     */
    public static java.util.Optional<Split> fromOption(String name) {
        return java.util.Optional.ofNullable(switch (name) {
            case "dev" -> DEV;
            case "dev-mismatched", "dev_mismatched" -> DEV_MISMATCHED;
            case "train" -> TRAIN;
            default -> null;
        });
    }

    @Override
    public String toString() {
        return label;
    }
}
