package dev.idspam.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks of the paper and their metrics (see docs/METHOD.md, "Metrics"). Task names are
 * matched after lower-casing and dropping every character that is not a letter or digit, so
 * {@code "SST-2"}, {@code "sst_2"} and {@code "sst2"} are the same task.
 *
 * <p>The catalogue order is the column order of report tables (the paper's order first).
 *
 * <p>This is the one list of what is reported per task, primary metric first; training picks its
 * best epoch by the primary metric and every report reads the same entry. It lives here, beside
 * the code that computes the metrics, rather than in the datasets module (which reads the files
 * under the same task ids), so that this module needs no other project module. Choices follow
 * docs/METHOD.md: accuracy for SST-2, MNLI, QNLI, RTE, BoolQ, COPA and WiC; the mean of accuracy and
 * macro-F1 ({@code acc_and_f1}) for MRPC, QQP, CB and IMDB (IMDB is only used as the SST-2 → IMDB
 * zero-shot target, and docs/METHOD.md scores all zero-shot pairs that way); Matthews correlation for
 * CoLA; Pearson and Spearman for STS-B; F1a and exact match for MultiRC.
 */
public final class TaskCatalog {

    /** Metrics of every zero- and few-shot transfer pair; the primary one is acc_and_f1. */
    public static final List<String> TRANSFER_METRICS = List.of("accuracy", "f1_macro", "acc_and_f1");

    private static final List<String> ACC = List.of("accuracy");
    private static final List<String> ACC_F1 = List.of("acc_and_f1", "accuracy", "f1_macro");

    private static final Map<String, TaskInfo> TASKS = new LinkedHashMap<>();

    static {
        add("mnli", "MNLI", Benchmark.GLUE, ACC);
        add("mnlimm", "MNLI-mm", Benchmark.GLUE, ACC);
        add("qnli", "QNLI", Benchmark.GLUE, ACC);
        add("sst2", "SST-2", Benchmark.GLUE, ACC);
        add("mrpc", "MRPC", Benchmark.GLUE, ACC_F1);
        add("rte", "RTE", Benchmark.GLUE, ACC);
        add("qqp", "QQP", Benchmark.GLUE, ACC_F1);
        add("cola", "CoLA", Benchmark.GLUE, List.of("mcc"));
        add("stsb", "STS-B", Benchmark.GLUE, List.of("pearson", "spearman"));
        add("wnli", "WNLI", Benchmark.GLUE, ACC);
        add("cb", "CB", Benchmark.SUPERGLUE, ACC_F1);
        // COPA as a two-way classification of (premise, choice 1, choice 2); a runner that scores
        // each choice separately asks for choice_accuracy instead.
        add("copa", "COPA", Benchmark.SUPERGLUE, ACC);
        add("multirc", "MultiRC", Benchmark.SUPERGLUE, List.of("f1a", "em"));
        add("boolq", "BoolQ", Benchmark.SUPERGLUE, ACC);
        add("wic", "WiC", Benchmark.SUPERGLUE, ACC);
        add("imdb", "IMDB", Benchmark.OTHER, ACC_F1);
    }

    private TaskCatalog() {
    }

    /** The first metric named is the primary one. */
    private static void add(String id, String name, Benchmark benchmark, List<String> metrics) {
        TASKS.put(id, new TaskInfo(id, name, benchmark, metrics, metrics.get(0)));
    }

    /** Lower-cases and keeps only letters and digits: {@code "SST-2"} becomes {@code "sst2"}. */
    public static String canonicalId(String task) {
        return task.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The task's entry, if the catalogue knows it. */
    public static Optional<TaskInfo> lookup(String task) {
        return Optional.ofNullable(TASKS.get(canonicalId(task)));
    }

    /** The task's entry; the error lists the known tasks. */
    public static TaskInfo require(String task) {
        return lookup(task).orElseThrow(() -> new IllegalArgumentException("unknown task '" + task
                + "'; known tasks: " + String.join(", ", TASKS.keySet())));
    }

    /** Name to print for a task: the catalogue's name, or the id as given when unknown. */
    public static String displayName(String task) {
        return lookup(task).map(TaskInfo::displayName).orElse(task);
    }

    /** Benchmark of a task; unknown tasks are {@link Benchmark#OTHER}. */
    public static Benchmark benchmark(String task) {
        return lookup(task).map(TaskInfo::benchmark).orElse(Benchmark.OTHER);
    }

    /** Position in table order; unknown tasks sort after every known one. */
    public static int order(String task) {
        int i = 0;
        String id = canonicalId(task);
        for (String known : TASKS.keySet()) {
            if (known.equals(id)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    /** Every known task, in table order. */
    public static List<TaskInfo> all() {
        return List.copyOf(TASKS.values());
    }
}
