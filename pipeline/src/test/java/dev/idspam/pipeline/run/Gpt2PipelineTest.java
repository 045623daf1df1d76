package dev.idspam.pipeline.run;

import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.SpecialTokensStyle;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.TinyByteBpe;
import dev.idspam.graphs.backbone.TinyGpt2;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.MultiTaskPredictor;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ID-SPAM on a tiny GPT-2 through the whole pipeline, from a folder laid out as Hugging Face leaves
 * one (config.json, model.safetensors of GPT2LMHeadModel, a byte-level BPE tokenizer.json):
 * generate (the head reads the last real token by default) → train on 64 CB pairs through the
 * Trainer and ONNX Runtime's training API (the loss falls, every frozen backbone tensor stays
 * bit-identical) → the same training with the prefix cache → export → the bundle reproduces
 * evaluation and padding changes no prediction; adapter bundles share the decoder prefix; what
 * does not apply to a decoder is refused naming the reason (diagnose) or left out (the export's fused operators).
 */
class Gpt2PipelineTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);
    private static final long SEED = 3;
    private static final int LAYER = 1;
    private static final int PROMPT_TOKENS = 4;
    private static final int EPOCHS = 4;
    private static final int BATCH = 16;
    private static final int SAMPLES = 64;
    private static final double LR = 1e-2;
    /** 2 blocks, n = 16, 4 heads, 64 positions, the tiny byte-level vocabulary. */
    private static final BackboneConfig CONFIG = BackboneConfig.gpt2(2, 16, 4, 64, TinyByteBpe.VOCAB_SIZE, 64, 1e-5,
            BackboneConfig.Activation.GELU_TANH, TinyByteBpe.EOS);

    @TempDir
    static Path dir;
    private static List<Path> data;
    private static Path pristine;
    private static Path artifacts;
    private static TrainJob.Outcome outcome;

    @BeforeAll
    static void generateAndTrain() throws IOException {
        data = List.of(Path.of(System.getProperty("idspam.data", "../data")));
        Path backbone = dir.resolve("tiny-gpt2");
        TinyGpt2.writeWithTokenizer(backbone, TinyGpt2.random(CONFIG, 4), TinyGpt2.Layout.LM_HEAD_MODEL);
        pristine = dir.resolve("generated");
        // no head pooling asked for: the backbone's default
        Generate.run(new Generate.Spec(backbone.toString(), MethodSpec.of("idspam",
                Map.of("layer", LAYER, "prompt-tokens", PROMPT_TOKENS)), Task.CB, SEED, AdamWConfig.defaults(), 64, pristine));
        artifacts = copy(pristine, "trained");
        outcome = TrainJob.run(spec(artifacts, PrefixCache.Mode.OFF), TrainingListener.NONE);
    }

    private static TrainJob.Spec spec(Path folder, PrefixCache.Mode cache) {
        return new TrainJob.Spec(folder, data, EPOCHS, BATCH, LR, 0.06, 1, SEED, SAMPLES, false, false, false, RUN, cache,
                TrainJob.DEFAULT_PREFIX_CACHE_MAX_MB);
    }

    private static Path copy(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void idspamTrainsAndTheFrozenBackboneStaysBitIdentical() throws IOException {
        ModelInfo info = ModelInfo.of(Artifacts.open(artifacts));
        JsonObject model = Artifacts.open(artifacts).manifest().model();
        assertThat(info.backbone().family()).isEqualTo("GPT2");
        assertThat(model.get("head_pooling").getAsString()).as("the decoder's default head").isEqualTo("last");

        var report = outcome.report();
        assertThat(report.headPooling()).as("the report names the head the manifest built").isEqualTo("last");
        List<Double> losses = report.history().stream().map(e -> e.trainLoss()).toList();
        System.out.printf("gpt2 idspam training: train loss per epoch %s, frozen weights unchanged %s%n", losses,
                report.frozenWeightsUnchanged());
        assertThat(losses).hasSize(EPOCHS);
        assertThat(losses.get(EPOCHS - 1)).as("train loss, last epoch vs first " + losses).isLessThan(losses.get(0));
        assertThat(report.frozenWeightsUnchanged()).isTrue();
        assertThat(TrainJob.frozenUnchanged(artifacts.resolve(ArtifactNames.CHECKPOINT),
                artifacts.resolve(Trainer.BEST_CHECKPOINT))).isTrue();
        assertThat(TrainJob.frozenUnchanged(artifacts.resolve(ArtifactNames.CHECKPOINT),
                artifacts.resolve(Trainer.LAST_CHECKPOINT))).isTrue();

        // generator (n = 16, c = n/2 = 8, t = 4) and the 3-way head are trained; the whole backbone is frozen
        long n = 16;
        long c = 8;
        long t = PROMPT_TOKENS;
        assertThat(report.trainableParams()).isEqualTo(3 * (n * n + n) + (n * c + c) + (c * t * n + t * n)
                + n * n + n + n * 3 + 3);
        assertThat(report.frozenParams()).isEqualTo(CONFIG.parameterCount());
    }

    @Test
    void thePrefixCacheTrainsTheSame() throws IOException {
        TrainJob.Outcome cached = TrainJob.run(spec(copy(pristine, "cached"), PrefixCache.Mode.MEMORY), TrainingListener.NONE);
        var plain = outcome.report().history();
        var withCache = cached.report().history();
        assertThat(withCache).hasSameSizeAs(plain);
        for (int e = 0; e < plain.size(); e++) {
            assertThat(withCache.get(e).trainLoss()).as("epoch %d train loss", e + 1)
                    .isCloseTo(plain.get(e).trainLoss(), within(1e-5));
            assertThat(withCache.get(e).devLoss()).as("epoch %d dev loss", e + 1)
                    .isCloseTo(plain.get(e).devLoss(), within(1e-5));
        }
    }

    @Test
    void theTokenizerFramesWithEndOfTextAndPadsWithIt() throws IOException {
        JsonObject ref = Artifacts.open(artifacts).manifest().tokenizer();
        assertThat(ref.get("style").getAsString()).isEqualTo("GPT2");
        try (TextTokenizer tok = TokenizerCopies.open(ref, artifacts)) {
            assertThat(tok.specialTokens().style()).isEqualTo(SpecialTokensStyle.GPT2);
            assertThat(tok.padId()).isEqualTo(TinyByteBpe.EOS);
            Encoding e = tok.encode("the cat", "in the hat", 64);
            long eos = TinyByteBpe.EOS;
            // the, Ġc, a, t · in, Ġthe, Ġ, h, a, t: byte-level pieces with the tiny merges
            assertThat(e.ids()).containsExactly(TinyByteBpe.id("t"), TinyByteBpe.id("he"), TinyByteBpe.id("Ġ"),
                    TinyByteBpe.id("c"), TinyByteBpe.id("a"), TinyByteBpe.id("t"), eos, TinyByteBpe.id("in"),
                    TinyByteBpe.id("Ġthe"), TinyByteBpe.id("Ġ"), TinyByteBpe.id("h"), TinyByteBpe.id("a"),
                    TinyByteBpe.id("t"), eos);
        }
    }

    @Test
    void theExportedBundleReproducesEvaluationAndIgnoresPadding() throws IOException {
        Path bundle = dir.resolve("bundle");
        Export.run(artifacts, null, bundle, RUN);
        BundleCheck.Result check = BundleCheck.run(bundle, artifacts, data, BATCH);
        System.out.printf("gpt2 bundle check: %d/%d same labels, max |logit diff| %.3g%n", check.sameLabel(),
                check.examples(), check.maxAbsLogitDiff());
        assertThat(check.identicalLabels()).isTrue();
        assertThat(check.maxAbsLogitDiff()).isLessThanOrEqualTo(1e-5);
        try (Predictor p = Predictor.open(bundle)) {
            float[] alone = p.predict("The cat sat on the mat.", "A cat sat.").logits();
            float[] batched = p.predictAll(List.of("The cat sat on the mat.", "It was a long and rather dull meeting."),
                    List.of("A cat sat.", "The meeting was short and nobody said anything at all.")).get(0).logits();
            for (int k = 0; k < alone.length; k++) {
                assertThat(batched[k]).as("logit %d alone vs padded in a batch", k).isCloseTo(alone[k], within(1e-5f));
            }
        }
        // the default (fused) export leaves a pre-LN causal decoder plain and says so in bundle.json
        JsonObject graph = Bundle.open(bundle).manifest().json().getAsJsonObject("graph");
        assertThat(graph.get("fused").getAsBoolean()).isFalse();
        assertThat(graph.get("fused_layers").getAsInt()).isZero();
        assertThatThrownBy(() -> PromptDiagnostics.run(Bundle.open(bundle), List.of(), BATCH))
                .hasMessageContaining("diagnose reads encoder bundles; this one is on a GPT2 backbone");
    }

    /**
     * Adapter bundles cut the decoder below its injection layer into a shared prefix; two adapters of
     * it form one group of a multi-task predictor and give the full bundle's logits.
     */
    @Test
    void adapterBundlesShareTheDecoderPrefix() throws IOException {
        Path full = dir.resolve("full");
        Export.run(artifacts, null, full, RUN);
        Path models = dir.resolve("models");
        Export.run(artifacts, null, models.resolve("a"), RUN, true);
        Export.run(artifacts, null, models.resolve("b"), RUN, true);
        List<String> premises = List.of("The cat sat on the mat.", "It was a long and rather dull meeting.", "No.");
        List<String> hypotheses = List.of("A cat sat.", "The meeting was short.", "Yes, it was, and everyone agreed.");
        try (Predictor f = Predictor.open(full); Predictor a = Predictor.open(models.resolve("a"));
             Predictor b = Predictor.open(models.resolve("b"))) {
            MultiTaskPredictor mt = MultiTaskPredictor.of(List.of(a, b));
            assertThat(mt.groups()).as("one shared prefix").hasSize(1);
            List<Predictor.Prediction> expected = f.predictAll(premises, hypotheses);
            List<List<Predictor.Prediction>> got = mt.predictAll(premises, hypotheses);
            double max = 0;
            for (List<Predictor.Prediction> task : got) {
                for (int i = 0; i < premises.size(); i++) {
                    float[] x = expected.get(i).logits();
                    float[] y = task.get(i).logits();
                    for (int k = 0; k < x.length; k++) {
                        max = Math.max(max, Math.abs(x[k] - y[k]));
                    }
                    assertThat(task.get(i).label()).isEqualTo(expected.get(i).label());
                }
            }
            System.out.printf("gpt2 shared prefix: max |adapter group - full bundle| %.2g%n", max);
            assertThat(max).isLessThanOrEqualTo(1e-5);
        }
    }
}
