package dev.idspam.datasets.task;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks the project trains and evaluates on, with everything needed to find and read their
 * official files. What is reported for a task (its metrics, primary first) is written once, in
 * the eval module's {@code TaskCatalog}, under the same {@link #shortName()}.
 *
 * <p>Label index = position in {@link #labels()}. The orders follow the usual GLUE/SuperGLUE
 * processors so that checkpoints and logits line up with other implementations. SST-2, QQP, MRPC
 * and IMDB all use {@code ["0", "1"]} with 1 = positive / paraphrase / duplicate, which keeps the
 * zero-shot pairs (SST-2 → IMDB, QQP → MRPC) label-compatible; {@link #labelNames()} gives them the
 * names users see.
 *
 * <p>The built-in tasks are the constants; {@link #custom} makes a task from a user's own CSV, TSV or
 * JSON-lines files ({@link CustomTask}). Two tasks are equal when they are the same built-in task or
 * custom tasks with equal definitions.
 */
public final class Task {
    public static final Task COLA = new Task("COLA", glue("cola", "CoLA").headerless("source", "label", "original_label", "sentence")
            .text("sentence").label("label", "0", "1").names("unacceptable", "acceptable").glueZip("CoLA.zip"));
    public static final Task SST2 = new Task("SST2", glue("sst2", "SST-2").text("sentence").label("label", "0", "1").names("negative", "positive")
            .glueZip("SST-2.zip"));
    public static final Task MRPC = new Task("MRPC", glue("mrpc", "MRPC").text("#1 String", "#2 String").label("Quality", "0", "1")
            .names("not_equivalent", "equivalent"));
    public static final Task STSB = new Task("STSB", glue("stsb", "STS-B").id("index").text("sentence1", "sentence2").regression("score")
            .glueZip("STS-B.zip"));
    public static final Task QQP = new Task("QQP", glue("qqp", "QQP").id("id").text("question1", "question2").label("is_duplicate", "0", "1").names("not_duplicate", "duplicate")
            .glueZip("QQP-clean.zip"));
    public static final Task MNLI = new Task("MNLI", glue("mnli", "MNLI").id("index").text("sentence1", "sentence2")
            .label("gold_label", "contradiction", "entailment", "neutral")
            .split(Split.DEV, "dev_matched.tsv").split(Split.DEV_MISMATCHED, "dev_mismatched.tsv")
            .glueZip("MNLI.zip"));
    public static final Task QNLI = new Task("QNLI", glue("qnli", "QNLI").id("index").text("question", "sentence")
            .label("label", "entailment", "not_entailment").glueZip("QNLIv2.zip"));
    public static final Task RTE = new Task("RTE", glue("rte", "RTE").id("index").text("sentence1", "sentence2")
            .label("label", "entailment", "not_entailment").glueZip("RTE.zip"));
    public static final Task CB = new Task("CB", superGlue("cb", "CB").text("premise", "hypothesis")
            .label("label", "entailment", "contradiction", "neutral"));
    public static final Task BOOLQ = new Task("BOOLQ", superGlue("boolq", "BoolQ").text("question", "passage").label("label", "false", "true"));
    public static final Task COPA = new Task("COPA", superGlue("copa", "COPA").text("premise", "question", "choice1", "choice2").pair()
            .label("label", "0", "1").names("wrong_choice", "right_choice").grouped());
    public static final Task MULTIRC = new Task("MULTIRC", superGlue("multirc", "MultiRC")
            .text("passage.text", "questions[].question", "answers[].text").pair()
            .label("answers[].label", "0", "1").names("false", "true").grouped());
    public static final Task WIC = new Task("WIC", superGlue("wic", "WiC").text("word", "sentence1", "sentence2").pair()
            .label("label", "false", "true"));
    public static final Task IMDB = new Task("IMDB", new Def("imdb", "aclImdb", TaskFormat.IMDB_FOLDERS).split(Split.TRAIN, "train")
            .split(Split.DEV, "test").text("review").label("folder neg/ or pos/", "0", "1")
            .names("negative", "positive"));

    /** The built-in tasks, in a fixed order. */
    private static final Task[] BUILT_IN = {COLA, SST2, MRPC, STSB, QQP, MNLI, QNLI, RTE, CB, BOOLQ, COPA, MULTIRC, WIC, IMDB};

    private final String name;
    private final Def def;
    private final CustomTask custom;

    private Task(String name, Def def) {
        def.check(name);
        this.name = name;
        this.def = def;
        this.custom = null;
    }

    private Task(CustomTask spec) {
        Def d = new Def(spec.name(), null, TaskFormat.CUSTOM_TABLE)
                .split(Split.TRAIN, spec.train().toString()).split(Split.DEV, spec.devFile().toString());
        if (spec.textPairColumn() == null) {
            d.text(spec.textColumn());
        } else {
            d.text(spec.textColumn(), spec.textPairColumn());
        }
        if (spec.regression()) {
            d.regression(spec.labelColumn());
        } else {
            d.label(spec.labelColumn(), spec.labels().toArray(String[]::new));
        }
        d.check("custom task " + spec.name());
        this.name = "CUSTOM";
        this.def = d;
        this.custom = spec;
    }

    /** A task defined by the user's own files ({@code --task custom}); see {@link CustomTask}. */
    public static Task custom(CustomTask spec) {
        return new Task(spec);
    }

    /** The built-in tasks (not the custom ones), in a fixed order. */
    public static Task[] values() {
        return BUILT_IN.clone();
    }

    /** The constant's name ({@code SST2}) for built-in tasks, {@code CUSTOM} for a custom one. */
    public String name() {
        return name;
    }

    /** The definition of a custom task; empty for the built-in ones. */
    public java.util.Optional<CustomTask> customSpec() {
        return java.util.Optional.ofNullable(custom);
    }

    public boolean isCustom() {
        return custom != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Task t && name.equals(t.name) && java.util.Objects.equals(custom, t.custom);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + java.util.Objects.hashCode(custom);
    }

    @Override
    public String toString() {
        return custom == null ? name : "custom task " + custom.name();
    }

    /** Lower-case identifier used on command lines and in reports, e.g. {@code sst2}. */
    public String shortName() {
        return def.shortName;
    }

    /** Folder name of the official distribution, e.g. {@code SST-2}, {@code MultiRC}, {@code aclImdb}. */
    public String folder() {
        return def.folder;
    }

    public TaskFormat format() {
        return def.format;
    }

    /** The labelled splits this task has, in a fixed order (train first). */
    public List<Split> splits() {
        return List.copyOf(def.files.keySet());
    }

    /** The dev splits to report: one for most tasks, matched and mismatched for MNLI. */
    public List<Split> devSplits() {
        List<Split> dev = new ArrayList<>(splits());
        dev.remove(Split.TRAIN);
        return List.copyOf(dev);
    }

    /**
     * The official file name of a split ({@code train.tsv}, {@code val.jsonl}, ...); for IMDB the
     * split's folder under {@code aclImdb/} ({@code train} or {@code test}).
     *
     * @throws IllegalArgumentException if the task has no such split
     */
    public String fileName(Split split) {
        String file = def.files.get(split);
        if (file == null) {
            throw new IllegalArgumentException("task " + shortName() + " has no split " + split
                    + "; its splits are " + splits());
        }
        return file;
    }

    /**
     * The source columns or fields the text segments are built from, in order. Two-segment tasks
     * map the first to text A and the second to text B; COPA, WiC and MultiRC combine several
     * fields, as their readers document.
     */
    public List<String> textColumns() {
        return def.textColumns;
    }

    /** True when examples have a second segment (text B). */
    public boolean pair() {
        return def.pair;
    }

    /** The column or field that holds the gold label or regression target. */
    public String labelColumn() {
        return def.labelColumn;
    }

    /** The column or field used as example id, if the official files have one. */
    public Optional<String> idColumn() {
        return Optional.ofNullable(def.idColumn);
    }

    /**
     * Column names for TSV files that have no header row (CoLA); empty when the first line of the
     * file names the columns.
     */
    public List<String> headerlessColumns() {
        return def.headerlessColumns;
    }

    /** Label strings as they appear in the files; label index = position. Empty for regression. */
    public List<String> labels() {
        return def.labels;
    }

    /**
     * The labels' names as users see them (predictions, bundles, reports), in label-index order:
     * {@code negative, positive} for SST-2 and IMDB, {@code not_equivalent, equivalent} for MRPC.
     * Tasks whose files already hold words (RTE, CB, MNLI, ...) use those words. Empty for regression.
     */
    public List<String> labelNames() {
        return def.names != null ? def.names : def.labels;
    }

    /** Number of outputs the task head needs: label count, or 1 for regression. */
    public int numOutputs() {
        return def.regression ? 1 : def.labels.size();
    }

    /** The index of a label string, or -1 if it is not one of {@link #labels()}. */
    public int labelIndex(String label) {
        return def.labels.indexOf(label);
    }

    /** True for STS-B: the target is a similarity score in [0, 5] and the loss is MSE. */
    public boolean regression() {
        return def.regression;
    }

    /**
     * True when examples form groups that are scored together (COPA: the two choices of a question;
     * MultiRC: the answer options of a question). {@code Example.group()} is then set.
     */
    public boolean grouped() {
        return def.grouped;
    }

    /** Where the public archive of this task can be downloaded, if it is a zip we can unpack. */
    public Optional<URI> downloadUrl() {
        return Optional.ofNullable(def.downloadUrl).map(URI::create);
    }

    /**
     * A human-readable description of the folder layout this task expects, used in "data not
     * found" errors. {@code DIR} stands for the folder passed as {@code --data}.
     */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        switch (def.format) {
            case GLUE_TSV:
                sb.append(folder()).append(" (task ").append(shortName())
                        .append("): GLUE tab-separated files, no quoting, ");
                if (def.headerlessColumns.isEmpty()) {
                    sb.append("a header row naming the columns");
                } else {
                    sb.append("no header row, ").append(def.headerlessColumns.size())
                            .append(" columns ").append(String.join(", ", def.headerlessColumns));
                }
                sb.append('\n');
                appendFiles(sb);
                break;
            case SUPERGLUE_JSONL:
                sb.append(folder()).append(" (task ").append(shortName())
                        .append("): SuperGLUE JSON lines, one object per line\n");
                appendFiles(sb);
                break;
            case CUSTOM_TABLE:
                sb.append("custom task ").append(shortName()).append(": ").append(custom.format())
                        .append(" files with a header row (JSON lines: one object per line)\n");
                def.files.forEach((k, v) -> sb.append("  ").append(v).append("   (split ").append(k).append(")\n"));
                break;
            case IMDB_FOLDERS:
                sb.append(folder()).append(" (task ").append(shortName())
                        .append("): Large Movie Review Dataset, one review per .txt file, neg → 0, pos → 1\n");
                for (Map.Entry<Split, String> e : def.files.entrySet()) {
                    sb.append("  DIR/aclImdb/").append(e.getValue()).append("/pos/*.txt and DIR/aclImdb/")
                            .append(e.getValue()).append("/neg/*.txt   (split ").append(e.getKey())
                            .append(")\n");
                }
                break;
            default:
                throw new IllegalStateException("unhandled format " + def.format);
        }
        sb.append("  text: ").append(String.join(", ", def.textColumns));
        sb.append("; label: ").append(def.labelColumn);
        if (def.regression) {
            sb.append(" (a number)");
        } else {
            sb.append(" (one of ").append(String.join(", ", def.labels)).append(')');
        }
        return sb.toString();
    }

    private void appendFiles(StringBuilder sb) {
        for (Map.Entry<Split, String> e : def.files.entrySet()) {
            sb.append("  DIR/").append(folder()).append('/').append(e.getValue())
                    .append("   (or DIR/").append(e.getValue()).append("; split ").append(e.getKey())
                    .append(")\n");
        }
    }

    /**
     * Finds a task by short name ({@code sst2}), folder name ({@code SST-2}) or enum name, ignoring
     * case; {@code sst-2}, {@code sts-b} and {@code mnli-m} are accepted too.
     */
    public static Task parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Task t : values()) {
            if (t.shortName().equals(n) || t.folder().toLowerCase(Locale.ROOT).equals(n)
                    || t.name().toLowerCase(Locale.ROOT).equals(n)
                    || t.shortName().equals(n.replace("-", ""))) {
                return t;
            }
        }
        if (n.equals("mnli-m") || n.equals("mnli-mm")) {
            return MNLI;
        }
        if (n.equals(CustomTask.ID)) {
            throw new IllegalArgumentException("task custom is defined by its files: give --train and --dev (or --dev-split),"
                    + " --text-col and --label-col, or --task-spec FILE");
        }
        List<String> known = new ArrayList<>();
        for (Task t : values()) {
            known.add(t.shortName());
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + known
                + " (MNLI has dev splits dev and dev_mismatched)");
    }

    private static Def glue(String shortName, String folder) {
        return new Def(shortName, folder, TaskFormat.GLUE_TSV)
                .split(Split.TRAIN, "train.tsv").split(Split.DEV, "dev.tsv");
    }

    private static Def superGlue(String shortName, String folder) {
        return new Def(shortName, folder, TaskFormat.SUPERGLUE_JSONL).id("idx")
                .split(Split.TRAIN, "train.jsonl").split(Split.DEV, "val.jsonl")
                .superGlueZip(folder + ".zip");
    }

    /** A task's definition, filled in by the enum constants and checked by {@link #check}; never exposed. */
    private static final class Def {
        final String shortName;
        final String folder;
        final TaskFormat format;
        final Map<Split, String> files = new EnumMap<>(Split.class);
        List<String> headerlessColumns = List.of();
        List<String> textColumns = List.of();
        boolean pair;
        String labelColumn;
        String idColumn;
        List<String> labels = List.of();
        List<String> names;
        boolean regression;
        boolean grouped;
        String downloadUrl;

        Def(String shortName, String folder, TaskFormat format) {
            this.shortName = shortName;
            this.folder = folder;
            this.format = format;
        }

        Def split(Split split, String file) {
            files.put(split, file);
            return this;
        }

        Def headerless(String... columns) {
            headerlessColumns = List.of(columns);
            return this;
        }

        Def id(String column) {
            idColumn = column;
            return this;
        }

        Def text(String... columns) {
            textColumns = List.of(columns);
            pair = columns.length == 2;
            return this;
        }

        Def pair() {
            pair = true;
            return this;
        }

        Def label(String column, String... labelSet) {
            labelColumn = column;
            labels = List.of(labelSet);
            return this;
        }

        /** Names shown to users for the labels, in the order {@link #label} gave their file values. */
        Def names(String... labelNames) {
            names = List.of(labelNames);
            return this;
        }

        Def regression(String column) {
            labelColumn = column;
            regression = true;
            return this;
        }

        Def grouped() {
            grouped = true;
            return this;
        }

        Def glueZip(String file) {
            downloadUrl = "https://dl.fbaipublicfiles.com/glue/data/" + file;
            return this;
        }

        Def superGlueZip(String file) {
            downloadUrl = "https://dl.fbaipublicfiles.com/glue/superglue/data/v2/" + file;
            return this;
        }

        void check(String task) {
            if (textColumns.isEmpty() || labelColumn == null
                    || !files.containsKey(Split.TRAIN) || !files.containsKey(Split.DEV)
                    || (regression == !labels.isEmpty())
                    || (names != null && (names.size() != labels.size() || names.stream().distinct().count() != names.size()))) {
                throw new IllegalStateException("task " + task + " is incompletely defined");
            }
        }
    }
}
