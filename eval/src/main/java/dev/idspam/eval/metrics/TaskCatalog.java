package dev.idspam.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks of the paper and their metrics (see shared/docs/METHOD.md, "Metrics"). Task names are
 * matched after lower-casing and dropping every character that is not a letter or digit, so
 * {@code "SST-2"}, {@code "sst_2"} and {@code "sst2"} are the same task.
 *
 * <p>The catalogue order is the column order of report tables (the paper's order first).
 */
public final class TaskCatalog {

    /** Metrics of every zero- and few-shot transfer pair; the primary one is acc_and_f1. */
    public static final List<String> TRANSFER_METRICS = List.of("accuracy", "f1_macro", "acc_and_f1");

    private static final List<String> ACC = List.of("accuracy");
    private static final List<String> ACC_F1 = List.of("accuracy", "f1_macro", "acc_and_f1", "f1");

    private static final Map<String, TaskInfo> TASKS = new LinkedHashMap<>();

    static {
        add("mnli", "MNLI", Benchmark.GLUE, ACC, "accuracy");
        add("mnlimm", "MNLI-mm", Benchmark.GLUE, ACC, "accuracy");
        add("qnli", "QNLI", Benchmark.GLUE, ACC, "accuracy");
        add("sst2", "SST-2", Benchmark.GLUE, ACC, "accuracy");
        add("mrpc", "MRPC", Benchmark.GLUE, ACC_F1, "acc_and_f1");
        add("rte", "RTE", Benchmark.GLUE, ACC, "accuracy");
        add("qqp", "QQP", Benchmark.GLUE, ACC_F1, "acc_and_f1");
        add("cola", "CoLA", Benchmark.GLUE, List.of("mcc", "accuracy"), "mcc");
        add("stsb", "STS-B", Benchmark.GLUE, List.of("pearson", "spearman"), "pearson");
        add("wnli", "WNLI", Benchmark.GLUE, ACC, "accuracy");
        add("cb", "CB", Benchmark.SUPERGLUE, List.of("accuracy", "f1_macro", "acc_and_f1"), "acc_and_f1");
        // COPA as a two-way classification of (premise, choice 1, choice 2); a runner that scores
        // each choice separately asks for choice_accuracy instead.
        add("copa", "COPA", Benchmark.SUPERGLUE, ACC, "accuracy");
        add("multirc", "MultiRC", Benchmark.SUPERGLUE, List.of("f1a", "em"), "f1a");
        add("boolq", "BoolQ", Benchmark.SUPERGLUE, ACC, "accuracy");
        add("wic", "WiC", Benchmark.SUPERGLUE, ACC, "accuracy");
        add("imdb", "IMDB", Benchmark.OTHER, ACC, "accuracy");
    }

    private TaskCatalog() {
    }

    private static void add(String id, String name, Benchmark benchmark, List<String> metrics,
                            String primary) {
        TASKS.put(id, new TaskInfo(id, name, benchmark, metrics, primary));
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
