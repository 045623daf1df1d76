package dev.idspam.spark;

import dev.idspam.serving.Predictor;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scoring on a real local Spark session ({@code local[2]}): the whole SST-2 dev file, row by row
 * against {@link Predictor#predictAll}, through the Dataset transformation, the ML transformer and
 * the command; rejected rows counted and written.
 */
class BundleScoringTest {
    @TempDir
    static Path tmp;
    private static SparkSession spark;
    private static Path bundle;
    private static Path dev;
    private static List<String> sentences;

    @BeforeAll
    static void start() throws Exception {
        bundle = tmp.resolve("sst2-tiny");
        Files.createDirectories(bundle);
        for (String f : List.of("bundle.json", "model.onnx", "vocab.txt")) {
            try (var in = BundleScoringTest.class.getResourceAsStream("/sst2-tiny/" + f)) {
                Files.copy(in, bundle.resolve(f));
            }
        }
        dev = Path.of(System.getProperty("idspam.data", "../data")).resolve("SST-2/dev.tsv");
        sentences = new ArrayList<>();
        for (String line : Files.readAllLines(dev, StandardCharsets.UTF_8).subList(1, 873)) {
            sentences.add(line.split("\t")[0]);
        }
        spark = SparkSession.builder().master("local[2]").appName("idspam-test").config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 2).getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The dev file with a row number, in two partitions. */
    private static Dataset<Row> devRows() {
        return SparkScore.reader(spark, "tsv").load(dev.toString())
                .withColumn("row", org.apache.spark.sql.functions.monotonically_increasing_id()).repartition(2);
    }

    private static Map<String, Predictor.Prediction> expected() throws Exception {
        Map<String, Predictor.Prediction> out = new HashMap<>();
        try (Predictor p = Predictor.open(bundle)) {
            List<Predictor.Prediction> all = p.predictAll(sentences, null);
            for (int i = 0; i < sentences.size(); i++) {
                out.put(sentences.get(i), all.get(i));
            }
        }
        return out;
    }

    private static void assertMatches(List<Row> rows, Map<String, Predictor.Prediction> want) {
        assertThat(rows).hasSize(872);
        int same = 0;
        for (Row r : rows) {
            Predictor.Prediction p = want.get(r.<String>getAs("sentence"));
            assertThat(r.<String>getAs(BundleScoring.ERROR)).isNull();
            if (r.<String>getAs(BundleScoring.LABEL).equals(p.label()) && r.<Integer>getAs(BundleScoring.LABEL_INDEX) == p.labelIndex()) {
                same++;
            }
            scala.collection.Map<String, Double> probs = r.getAs(BundleScoring.PROBABILITIES);
            for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
                assertThat(probs.apply(e.getKey())).isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(same).isEqualTo(872);
    }

    @Test
    void theSst2DevFileScoredOnSparkMatchesThePredictorRowByRow() throws Exception {
        Dataset<Row> scored = BundleScoring.score(devRows(), BundleScoring.Options.of(bundle.toString(), "sentence")
                .withBatchSize(16));
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(2);
        assertMatches(scored.collectAsList(), expected());
        // the probabilities differ from row to row, so matching them row by row cannot pass by accident
        assertThat(scored.select(org.apache.spark.sql.functions.col(BundleScoring.PROBABILITIES).getItem("positive"))
                .distinct().count()).isGreaterThan(100);
    }

    @Test
    void theMlTransformerFitsAPipeline() throws Exception {
        BundleScorer scorer = new BundleScorer().setModel(bundle.toString()).setTextCol("sentence").setBatchSize(64);
        Dataset<Row> scored = new Pipeline().setStages(new PipelineStage[] {scorer}).fit(devRows()).transform(devRows());
        assertThat(scorer.transformSchema(devRows().schema()).fieldNames()).contains("prediction", "prediction_index", "probabilities",
                "error");
        assertMatches(scored.collectAsList(), expected());
    }

    @Test
    void badRowsAreMarkedNotDroppedAndSchemaErrorsNameTheColumn() {
        Dataset<Row> in = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a good film", 1),
                        org.apache.spark.sql.RowFactory.create(null, 2), org.apache.spark.sql.RowFactory.create("  ", 3)),
                new org.apache.spark.sql.types.StructType().add("text", "string").add("id", "int"));
        List<Row> rows = BundleScoring.score(in, BundleScoring.Options.of(bundle.toString(), "text")).orderBy("id").collectAsList();
        assertThat(rows).extracting(r -> r.<String>getAs("error")).containsExactly(null, "text is null", "text is empty");
        assertThat(rows.get(1).<String>getAs(BundleScoring.LABEL)).isNull();
        assertThatThrownBy(() -> BundleScoring.score(in, BundleScoring.Options.of(bundle.toString(), "review")))
                .hasMessageContaining("no column 'review'; the input's columns are [text, id]");
        assertThatThrownBy(() -> BundleScoring.score(in, BundleScoring.Options.of(bundle.toString(), "text").withPair("id")))
                .hasMessageContaining("takes a single text");
    }

    @Test
    void theCommandWritesScoredRowsAndCountsRejects() throws Exception {
        Path input = tmp.resolve("in.csv");
        StringBuilder sb = new StringBuilder("id,review\n");
        for (int i = 0; i < 50; i++) {
            sb.append(i).append(",\"").append(sentences.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        sb.append("50,\n51,\"   \"\n");
        Files.writeString(input, sb.toString());
        Path out = tmp.resolve("scored");
        SparkScore.Result r = SparkScore.run(Map.of("model", bundle.toString(), "input", input.toString(), "format", "csv",
                "text-col", "review", "output", out.toString(), "output-format", "json", "master", "local[2]"), line -> { });
        assertThat(r.scored()).isEqualTo(50);
        assertThat(r.rejected()).isEqualTo(2);
        long written = 0;
        for (Path f : Files.list(out).filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
            written += Files.readAllLines(f).size();
        }
        assertThat(written).isEqualTo(50);
        assertThat(Files.list(Path.of(r.rejects())).anyMatch(p -> p.getFileName().toString().endsWith(".json"))).isTrue();
        assertThatThrownBy(() -> SparkScore.run(Map.of("model", bundle.toString(), "input", input.toString(), "format", "csv",
                "text-col", "review", "output", out.toString()), line -> { }))
                .hasMessageContaining("exists; choose a new path");
        // the session the command stopped is gone; the tests' own one is made again for the other tests
        spark = SparkSession.builder().master("local[2]").appName("idspam-test").config("spark.ui.enabled", false).getOrCreate();
    }

    @Test
    void theBuildAndTheLauncherGiveSparkTheSameJvmOptions() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String file = String.join(" ", Files.readAllLines(Path.of("jvm.options")).stream().filter(l -> !l.isBlank()).toList());
        assertThat(pom).contains("<spark.jvm.options>" + file + "</spark.jvm.options>");
        assertThat(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    }
}
