package dev.idspam.spark;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@link BundleScoring} as a Spark ML {@link Transformer}, so that scoring with a bundle is one stage
 * of an ML pipeline:
 *
 * <pre>{@code
 * BundleScorer scorer = new BundleScorer().setModel("/models/sst2").setTextCol("sentence").setBatchSize(64);
 * Dataset<Row> scored = new Pipeline().setStages(new PipelineStage[] {cleaner, scorer}).fit(df).transform(df);
 * }</pre>
 *
 * Params: {@code model} (the bundle folder, or the name it was shipped under with addFile),
 * {@code textCol}, {@code pairCol} (empty: single-text models), {@code batchSize}, {@code threads}.
 * The transformer is not persistable (the bundle is its state; save the bundle's path instead).
 */
public final class BundleScorer extends Transformer {
    private final String uid;
    private final Param<String> model;
    private final Param<String> textCol;
    private final Param<String> pairCol;
    private final IntParam batchSize;
    private final IntParam threads;

    public BundleScorer() {
        this(Identifiable$.MODULE$.randomUID("idspamBundleScorer"));
    }

    public BundleScorer(String uid) {
        this.uid = uid;
        model = new Param<>(this, "model", "the bundle folder, or the name it was shipped under with addFile");
        textCol = new Param<>(this, "textCol", "the column of the text");
        pairCol = new Param<>(this, "pairCol", "the column of the second text; empty for single-text models");
        batchSize = new IntParam(this, "batchSize", "rows per model run", ParamValidators.inRange(1, 4096));
        threads = new IntParam(this, "threads", "intra-op threads of each partition's predictor", ParamValidators.inRange(1, 256));
        setDefault(pairCol, "");
        setDefault(batchSize, BundleScoring.DEFAULT_BATCH_SIZE);
        setDefault(threads, 1);
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> pairCol() {
        return pairCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam threads() {
        return threads;
    }

    public BundleScorer setModel(String v) {
        set(model, v);
        return this;
    }

    public BundleScorer setTextCol(String v) {
        set(textCol, v);
        return this;
    }

    public BundleScorer setPairCol(String v) {
        set(pairCol, v);
        return this;
    }

    public BundleScorer setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }

    public BundleScorer setThreads(int v) {
        set(threads, v);
        return this;
    }

    BundleScoring.Options options() {
        if (!isDefined(model) || !isDefined(textCol)) {
            throw new IllegalArgumentException("BundleScorer " + uid + ": set model and textCol");
        }
        String pair = $(pairCol);
        return new BundleScoring.Options($(model), $(textCol), pair.isEmpty() ? null : pair, (Integer) $(batchSize),
                (Integer) $(threads));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) dataset.toDF();
        return BundleScoring.score(rows, options());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        BundleScoring.Options o = options();
        return BundleScoring.outputSchema(schema, o, BundleScoring.manifest(o.model()));
    }

    @Override
    public BundleScorer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public String uid() {
        return uid;
    }
}
