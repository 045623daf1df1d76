package dev.idspam.spark;

import dev.idspam.serving.Bundle;
import dev.idspam.serving.BundleManifest;
import dev.idspam.serving.Predictor;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Scores a {@code Dataset<Row>} with an exported bundle: every row gains the prediction columns,
 * computed inside the executors. Each partition opens one {@link Predictor} for the bundle, runs its
 * rows in batches of {@link Options#batchSize} through {@code predictAll} (one padded model run per
 * batch), and closes the predictor when the partition's rows are used up (or its task ends); rows
 * stay in order. A partition with no row to score never opens one.
 *
 * <p>Columns added (names in {@link Options}):
 * <ul>
 *   <li>classifiers: {@code prediction} (string, the label's name), {@code prediction_index} (int),
 *       {@code probabilities} (map from label name to double: the softmax of the logits);</li>
 *   <li>regression models: {@code score} (double);</li>
 *   <li>{@code error} (string): null for a scored row; for a row whose text (or, for a pair model,
 *       second text) is null or blank, why it was not scored, with the prediction columns null.</li>
 * </ul>
 *
 * <p>The bundle reaches executors in one of two ways: {@link Options#model} is a folder that exists
 * on every executor (a shared file system, or local mode), or the name of a folder shipped with
 * {@code sparkContext().addFile(bundleDir, true)}, which executors find through
 * {@link SparkFiles#get}.
 */
public final class BundleScoring {
    private BundleScoring() {
    }

    /** Column names: written once here, read by the transformation, the ML transformer and the command. */
    // "prediction" rather than "label": the input often has a gold label column of that name
    public static final String LABEL = "prediction";
    public static final String LABEL_INDEX = "prediction_index";
    public static final String PROBABILITIES = "probabilities";
    public static final String SCORE = "score";
    public static final String ERROR = "error";
    public static final int DEFAULT_BATCH_SIZE = 32;

    /**
     * What to score and how.
     *
     * @param model      the bundle folder as executors see it, or the name it was shipped under with addFile
     * @param textCol    the column of the text
     * @param pairCol    the column of the second text (pair models), or null
     * @param batchSize  rows per model run
     * @param threads    intra-op threads of each partition's predictor
     */
    public record Options(String model, String textCol, String pairCol, int batchSize, int threads) implements Serializable {
        public Options {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("the bundle (model) is required");
            }
            if (textCol == null || textCol.isBlank()) {
                throw new IllegalArgumentException("the text column is required");
            }
            if (batchSize < 1 || batchSize > 4096) {
                throw new IllegalArgumentException("the batch size must be in [1, 4096], got " + batchSize);
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("the threads must be in [1, 256], got " + threads);
            }
        }

        public static Options of(String model, String textCol) {
            return new Options(model, textCol, null, DEFAULT_BATCH_SIZE, 1);
        }

        public Options withPair(String column) {
            return new Options(model, textCol, column, batchSize, threads);
        }

        public Options withBatchSize(int n) {
            return new Options(model, textCol, pairCol, n, threads);
        }

        public Options withThreads(int n) {
            return new Options(model, textCol, pairCol, batchSize, n);
        }
    }

    /** The bundle folder on this machine: the path itself when it exists, else the file Spark shipped under that name. */
    static Path locate(String model) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            return p;
        }
        String shipped;
        try {
            shipped = SparkFiles.get(p.getFileName().toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(model + ": no bundle folder there, and no Spark file of that name (ship it"
                    + " with sparkContext().addFile(dir, true))", e);
        }
        if (!Files.isDirectory(Path.of(shipped))) {
            throw new IllegalArgumentException(model + ": no bundle folder there, nor among the files shipped to this"
                    + " executor (" + shipped + ")");
        }
        return Path.of(shipped);
    }

    /** The manifest of the bundle, read on the driver (the model file is checked against its digest). */
    public static BundleManifest manifest(String model) {
        try {
            return Bundle.open(locate(model)).manifest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input's schema with the prediction columns added; refuses a missing or non-string text column. */
    public static StructType outputSchema(StructType input, Options o, BundleManifest m) {
        checkColumn(input, o.textCol());
        if (m.pair() && o.pairCol() == null) {
            throw new IllegalArgumentException("the bundle's task " + m.task().shortName() + " takes pairs of texts: name the"
                    + " column of the second text");
        }
        if (!m.pair() && o.pairCol() != null) {
            throw new IllegalArgumentException("the bundle's task " + m.task().shortName() + " takes a single text; a pair"
                    + " column (" + o.pairCol() + ") does not apply");
        }
        if (o.pairCol() != null) {
            checkColumn(input, o.pairCol());
        }
        List<StructField> added = m.regression()
                ? List.of(DataTypes.createStructField(SCORE, DataTypes.DoubleType, true))
                : List.of(DataTypes.createStructField(LABEL, DataTypes.StringType, true),
                DataTypes.createStructField(LABEL_INDEX, DataTypes.IntegerType, true),
                DataTypes.createStructField(PROBABILITIES, DataTypes.createMapType(DataTypes.StringType,
                        DataTypes.DoubleType, false), true));
        List<StructField> all = new ArrayList<>(Arrays.asList(input.fields()));
        for (StructField f : added) {
            if (Arrays.asList(input.fieldNames()).contains(f.name()) || f.name().equals(ERROR)) {
                throw new IllegalArgumentException("the input already has a column '" + f.name() + "', which scoring adds");
            }
            all.add(f);
        }
        if (Arrays.asList(input.fieldNames()).contains(ERROR)) {
            throw new IllegalArgumentException("the input already has a column '" + ERROR + "', which scoring adds");
        }
        all.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        return DataTypes.createStructType(all);
    }

    private static void checkColumn(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("no column '" + column + "'; the input's columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        if (!schema.apply(column).dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + column + "' holds " + schema.apply(column).dataType().simpleString()
                    + ", not text");
        }
    }

    /** Adds the prediction columns to every row of {@code input}. */
    public static Dataset<Row> score(Dataset<Row> input, Options o) {
        return score(input, o, null);
    }

    /** As {@link #score(Dataset, Options)}, adding each partition's scored row count to {@code scored} (progress). */
    public static Dataset<Row> score(Dataset<Row> input, Options o, LongAccumulator scored) {
        BundleManifest m = manifest(o.model());
        StructType schema = outputSchema(input.schema(), o, m);
        int text = input.schema().fieldIndex(o.textCol());
        int pair = o.pairCol() == null ? -1 : input.schema().fieldIndex(o.pairCol());
        return input.mapPartitions(new PartitionScorer(o, text, pair, m.regression(), scored), Encoders.row(schema));
    }

    /** Runs on the executors: one predictor per partition, batches of rows, closed at the partition's end. */
    private static final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
        private final Options o;
        private final int text;
        private final int pair;
        private final boolean regression;
        private final LongAccumulator scored;

        PartitionScorer(Options o, int text, int pair, boolean regression, LongAccumulator scored) {
            this.o = o;
            this.text = text;
            this.pair = pair;
            this.regression = regression;
            this.scored = scored;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) throws Exception {
            return new Iterator<>() {
                private final java.util.ArrayDeque<Row> ready = new java.util.ArrayDeque<>();
                // opened on the first row that can be scored: a partition of rejected rows never loads the model
                private Predictor p;

                @Override
                public boolean hasNext() {
                    if (ready.isEmpty() && rows.hasNext()) {
                        fill();
                    }
                    if (ready.isEmpty() && p != null) {
                        p.close(); // the partition's rows are used up (closing twice is harmless)
                    }
                    return !ready.isEmpty();
                }

                private Predictor predictor() throws java.io.IOException {
                    if (p == null) {
                        p = Predictor.builder().model(locate(o.model())).threads(o.threads()).build();
                        Predictor opened = p;
                        // a task that stops before its rows are used up (a limit, a failure) closes it too
                        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
                        if (task != null) {
                            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> opened.close());
                        }
                    }
                    return p;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ready.poll();
                }

                private void fill() {
                    List<Row> batch = new ArrayList<>(o.batchSize());
                    List<String> a = new ArrayList<>();
                    List<String> b = pair >= 0 ? new ArrayList<>() : null;
                    List<Integer> scoredAt = new ArrayList<>();
                    String[] errors = new String[o.batchSize()];
                    while (batch.size() < o.batchSize() && rows.hasNext()) {
                        Row r = rows.next();
                        String ta = r.isNullAt(text) ? null : r.getString(text);
                        String tb = pair < 0 || r.isNullAt(pair) ? null : r.getString(pair);
                        String why = ta == null ? "text is null" : ta.isBlank() ? "text is empty"
                                : pair >= 0 && tb == null ? "second text is null" : pair >= 0 && tb.isBlank() ? "second text is empty"
                                : null;
                        if (why == null) {
                            scoredAt.add(batch.size());
                            a.add(ta);
                            if (b != null) {
                                b.add(tb);
                            }
                        } else {
                            errors[batch.size()] = why;
                        }
                        batch.add(r);
                    }
                    List<Predictor.Prediction> out;
                    try {
                        out = a.isEmpty() ? List.of() : predictor().predictAll(a, b);
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Predictor.Prediction[] byRow = new Predictor.Prediction[batch.size()];
                    for (int k = 0; k < out.size(); k++) {
                        byRow[scoredAt.get(k)] = out.get(k);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        ready.add(extend(batch.get(i), byRow[i], errors[i]));
                    }
                    if (scored != null) {
                        scored.add(out.size());
                    }
                }
            };
        }

        private Row extend(Row r, Predictor.Prediction pr, String error) {
            int n = r.length();
            Object[] v = new Object[n + (regression ? 2 : 4)];
            for (int i = 0; i < n; i++) {
                v[i] = r.get(i);
            }
            if (regression) {
                v[n] = pr == null ? null : pr.score();
            } else if (pr != null) {
                v[n] = pr.label();
                v[n + 1] = pr.labelIndex();
                Map<String, Double> probs = new LinkedHashMap<>(pr.probabilities());
                v[n + 2] = scala.jdk.javaapi.CollectionConverters.asScala(probs);
            }
            v[v.length - 1] = error;
            return RowFactory.create(v);
        }
    }
}
