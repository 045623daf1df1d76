package dev.idspam.spark;

import dev.idspam.serving.Predictor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spark against the plain predictor on the same machine, same bundle, same rows: prints the rows per
 * second of {@code Predictor.predictAll} (one predictor, {@code cores} intra-op threads, batches of
 * 32) and of {@code spark-score} on {@code local[cores]} (one single-threaded predictor per
 * partition), wall time including Spark's start, reading and writing, and the overhead.
 *
 * <pre>
 * java -cp ... dev.idspam.spark.ScoringBenchmark BUNDLE SST-2/train.tsv [ROWS (0 = all)] [CORES]
 * </pre>
 */
public final class ScoringBenchmark {
    private ScoringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        Path tsv = Path.of(args[1]);
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int cores = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank() && (limit == 0 || texts.size() < limit)) {
                texts.add(l.split("\t")[0]);
            }
        }
        Path work = Files.createTempDirectory("idspam-spark-bench");
        Path input = work.resolve("input.tsv");
        Files.write(input, prepend("sentence", texts), StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%,d rows from %s, bundle %s, %d cores%n", texts.size(), tsv, bundle, cores);

        long t0 = System.nanoTime();
        int labelled = 0;
        try (Predictor p = Predictor.builder().model(bundle).threads(cores).build()) {
            for (int s = 0; s < texts.size(); s += BundleScoring.DEFAULT_BATCH_SIZE) {
                labelled += p.predictAll(texts.subList(s, Math.min(texts.size(), s + BundleScoring.DEFAULT_BATCH_SIZE)), null).size();
            }
        }
        double plain = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "Predictor.predictAll: %,d rows in %.1f s, %.1f rows/s%n", labelled, plain, labelled / plain);

        SparkScore.Result r = SparkScore.run(Map.of("model", bundle.toString(), "input", input.toString(), "format", "tsv",
                "text-col", "sentence", "output", work.resolve("out").toString(), "output-format", "parquet",
                "master", "local[" + cores + "]", "threads", "1"), line -> { });
        System.out.printf(Locale.ROOT, "spark-score local[%d]: %,d rows in %.1f s, %.1f rows/s (session start, read and"
                + " write included)%n", cores, r.scored(), r.seconds(), r.scored() / r.seconds());
        System.out.printf(Locale.ROOT, "overhead of Spark: %+.1f%% wall time%n", 100 * (r.seconds() / plain - 1));
    }

    private static List<String> prepend(String header, List<String> rows) {
        List<String> out = new ArrayList<>(rows.size() + 1);
        out.add(header);
        out.addAll(rows);
        return out;
    }
}
