package dev.idspam.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

/**
 * {@code idspam spark-score}: scores a file (CSV, TSV, JSON lines or Parquet) with a bundle on a
 * Spark session and writes the rows with their predictions, and the rows that could not be scored
 * (a null or blank text) with the reason, to a separate rejects path. The command line declares
 * the options (tools' {@code Cli}) and hands them over by name; this class checks their values.
 *
 * <p>Rows are split into partitions without a shuffle (the session lowers
 * {@code spark.sql.files.openCostInBytes}, so even a few-megabyte file is read as one split per
 * core); each partition is scored with its own predictor (see {@link BundleScoring}), and the
 * output keeps the input's columns. CSV and TSV outputs hold the probabilities as a JSON object in
 * one text column, since those formats have no maps.
 */
public final class SparkScore {
    private SparkScore() {
    }

    /** The formats, and what the command reads as each. */
    static final Set<String> FORMATS = Set.of("csv", "tsv", "json", "parquet");

    /** What a run did: rows read, scored and rejected, the wall time, and where it wrote them. */
    public record Result(long scored, long rejected, double seconds, String output, String rejects) {
        /** The line the command prints. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "scored %,d rows in %.1f s (%.0f rows/s) -> %s; %,d rejected%s", scored, seconds,
                    scored / Math.max(1e-9, seconds), output, rejected, rejects == null ? "" : " -> " + rejects);
        }
    }

    /**
     * Runs with options given by their command-line names: model, input, format, text-col,
     * text-pair-col, output, rejects, output-format, master, batch-size, threads, ship (true/false).
     */
    public static Result run(Map<String, String> o, Consumer<String> progress) throws Exception {
        String format = o.get("format");
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("spark-score: --format must be one of csv, tsv, json, parquet, got '" + format + "'");
        }
        String outFormat = o.getOrDefault("output-format", format);
        if (!FORMATS.contains(outFormat)) {
            throw new IllegalArgumentException("spark-score: --output-format must be one of csv, tsv, json, parquet, got '"
                    + outFormat + "'");
        }
        Path model = Path.of(o.get("model"));
        if (!Files.isRegularFile(model.resolve("bundle.json"))) {
            throw new java.io.IOException(model + ": not an inference bundle (no bundle.json)");
        }
        String input = o.get("input");
        if (!Files.exists(Path.of(input)) && !input.contains("://")) {
            throw new java.nio.file.NoSuchFileException(input, null, "the input is not there");
        }
        String output = o.get("output");
        String rejects = o.getOrDefault("rejects", output + "-rejects");
        for (String p : List.of(output, rejects)) {
            if (Files.exists(Path.of(p))) {
                throw new java.nio.file.FileAlreadyExistsException(p, null, "exists; choose a new path (nothing is overwritten)");
            }
        }
        boolean ship = Boolean.parseBoolean(o.getOrDefault("ship", "false"));
        BundleScoring.Options options = new BundleScoring.Options(ship ? model.getFileName().toString()
                : model.toAbsolutePath().toString(), o.get("text-col"), o.get("text-pair-col"),
                Integer.parseInt(o.getOrDefault("batch-size", Integer.toString(BundleScoring.DEFAULT_BATCH_SIZE))),
                Integer.parseInt(o.getOrDefault("threads", "1")));
        SparkSession.Builder b = SparkSession.builder().appName("idspam spark-score")
                .config("spark.sql.files.openCostInBytes", 1 << 20).config("spark.sql.files.maxPartitionBytes", 1 << 20).config("spark.ui.showConsoleProgress", false);
        if (o.get("master") != null) {
            b.master(o.get("master"));
        }
        long t0 = System.nanoTime();
        SparkSession spark = b.getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            if (ship) {
                spark.sparkContext().addFile(model.toAbsolutePath().toString(), true);
            }
            Dataset<Row> in = reader(spark, format).load(input);
            Column text = col(options.textCol());
            for (String c : options.pairCol() == null ? List.of(options.textCol()) : List.of(options.textCol(), options.pairCol())) {
                if (!List.of(in.columns()).contains(c)) {
                    throw new IllegalArgumentException(input + ": no column '" + c + "'; the columns are " + List.of(in.columns()));
                }
            }
            Column bad = text.isNull().or(trim(text).equalTo(""));
            if (options.pairCol() != null) {
                Column pair = col(options.pairCol());
                bad = bad.or(pair.isNull()).or(trim(pair).equalTo(""));
            }
            LongAccumulator scored = spark.sparkContext().longAccumulator("rows scored");
            Thread reporter = progressReporter(scored, progress, t0);
            Dataset<Row> good = BundleScoring.score(in.filter(bad.unary_$bang()), options, scored);
            write(good.drop(BundleScoring.ERROR), outFormat, output);
            reporter.interrupt();
            Dataset<Row> rejected = BundleScoring.score(in.filter(bad), options);
            long rejectCount = rejected.count();
            if (rejectCount > 0) {
                write(rejected, outFormat, rejects);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(scored.value(), rejectCount, seconds, output, rejectCount > 0 ? rejects : null);
        } finally {
            spark.stop();
        }
    }

    /** The options {@link #run} reads; {@code idspam spark-score --help} describes them. */
    static final Set<String> KEYS = Set.of("model", "input", "format", "text-col", "text-pair-col", "output", "output-format",
            "rejects", "master", "batch-size", "threads", "ship");

    /**
     * Entry point for {@code spark-submit --class dev.idspam.spark.SparkScore}: the options of
     * {@code idspam spark-score} as {@code --name value} pairs ({@code --ship} alone); without
     * {@code --master}, spark-submit's master is used.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String key = a.startsWith("--") ? a.substring(2) : null;
            if (key == null || !KEYS.contains(key)) {
                throw new IllegalArgumentException("spark-score: unknown argument '" + a + "'; the options are --"
                        + String.join(", --", new java.util.TreeSet<>(KEYS)));
            }
            if (key.equals("ship")) {
                o.put(key, "true");
            } else if (i + 1 < args.length) {
                o.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("spark-score: --" + key + " needs a value");
            }
        }
        for (String required : List.of("model", "input", "format", "text-col", "output")) {
            if (!o.containsKey(required)) {
                throw new IllegalArgumentException("spark-score: missing required option --" + required);
            }
        }
        System.out.println(run(o, System.err::println));
    }

    static DataFrameReader reader(SparkSession spark, String format) {
        return switch (format) {
            case "csv" -> spark.read().format("csv").option("header", true).option("escape", "\"");
            // GLUE-style TSV: tabs only, no quoting (quote characters are part of the text)
            case "tsv" -> spark.read().format("csv").option("header", true).option("sep", "\t").option("quote", "\u0000");
            case "json" -> spark.read().format("json");
            case "parquet" -> spark.read().format("parquet");
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    static void write(Dataset<Row> rows, String format, String path) {
        Dataset<Row> out = rows;
        if ((format.equals("csv") || format.equals("tsv")) && List.of(rows.columns()).contains(BundleScoring.PROBABILITIES)) {
            out = rows.withColumn(BundleScoring.PROBABILITIES, to_json(col(BundleScoring.PROBABILITIES)));
        }
        DataFrameWriter<Row> w = out.write().mode("errorifexists");
        switch (format) {
            case "csv" -> w.option("header", true).csv(path);
            case "tsv" -> w.option("header", true).option("sep", "\t").csv(path);
            case "json" -> w.json(path);
            case "parquet" -> w.parquet(path);
            default -> throw new IllegalArgumentException("unknown format " + format);
        }
    }

    /** Prints the rows scored so far every two seconds (the accumulator grows as partitions finish batches). */
    private static Thread progressReporter(LongAccumulator scored, Consumer<String> progress, long t0) {
        Thread t = new Thread(() -> {
            long last = -1;
            try {
                while (true) {
                    Thread.sleep(2000);
                    long n = scored.value();
                    if (n != last) {
                        double s = (System.nanoTime() - t0) / 1e9;
                        progress.accept(String.format(Locale.ROOT, "scored %,d rows (%.0f rows/s)", n, n / s));
                        last = n;
                    }
                }
            } catch (InterruptedException e) {
                // scoring finished
            }
        }, "idspam-spark-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
