package dev.idspam.tools.badinput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.PromptDiagnostics;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Device;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.TokenizerFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code diagnose} on a tiny ID-SPAM bundle (2 layers, prompt of 2 vectors at layer 1) and SST-2
 * dev sentences: the norms are positive, the attention on the prompt is a share in [0, 1] for each
 * layer from m up, and bundles it cannot read are refused naming why.
 */
class DiagnoseTest {
    @TempDir
    static Path tmp;
    private static Path bundle;

    @BeforeAll
    static void build() throws Exception {
        bundle = TinyBundles.build(tmp, "sst2");
    }

    @Test
    void reportsNormsAndAttentionPerLayer() {
        CliRun r = CliRun.of("diagnose", "--model", bundle.toString(), "--data", "../data", "--max-samples", "16", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(o.get("layer").getAsInt()).isEqualTo(1);
        assertThat(o.get("prompt_tokens").getAsInt()).isEqualTo(2);
        assertThat(o.get("examples").getAsInt()).isEqualTo(16);
        assertThat(o.get("prompt_norm").getAsDouble()).isPositive();
        assertThat(o.get("hidden_norm").getAsDouble()).isPositive();
        assertThat(o.getAsJsonArray("layers")).hasSize(1);
        JsonObject l = o.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(l.get("layer").getAsInt()).isEqualTo(1);
        assertThat(l.get("prompt_attention").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("uniform_share").getAsDouble()).isBetween(0.0, 1.0);
    }

    /**
     * The attention on the prompt, which diagnose computes from each layer's Q and K, equals what the
     * plain graph's own softmax gives (read as an extra output) for a prompt at layer 0 of 2: layer 0
     * with every input token as a query, layer 1 built for the read row alone; the same figures come
     * from a padded batch and from a fused bundle of the same model.
     */
    @Test
    void attentionOnThePromptIsTheGraphsOwnSoftmax() throws Exception {
        Path run = tmp.resolve("layer0-run");
        CliRun g = CliRun.of("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "0",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--seed", "5", "--generator-init-std", "0.5", "--out", run.toString());
        assertThat(g.exit()).as(g.err()).isZero();
        RunSettings rs = new RunSettings(Device.CPU, 1);
        Bundle plain = Export.run(run, null, tmp.resolve("layer0-plain"), rs, false, Export.GraphOptions.PLAIN);
        Bundle fused = Export.run(run, null, tmp.resolve("layer0-fused"), rs, false, Export.GraphOptions.DEFAULT);
        List<String> texts = List.of("a fun film .", "the plot is thin and the acting is worse", "it is good");
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            examples.add(Example.classification("d" + i, texts.get(i), null, 0));
        }
        PromptDiagnostics.Result dp = PromptDiagnostics.run(plain, examples, 1);
        PromptDiagnostics.Result df = PromptDiagnostics.run(fused, examples, 1);
        PromptDiagnostics.Result padded = PromptDiagnostics.run(plain, examples, 3); // one batch, two rows padded
        for (int li = 0; li < 2; li++) {
            assertThat(padded.layers().get(li).promptAttention()).as("padded batch, layer %d", li)
                    .isCloseTo(dp.layers().get(li).promptAttention(), within(1e-6));
            assertThat(padded.layers().get(li).uniformShare()).isCloseTo(dp.layers().get(li).uniformShare(), within(1e-12));
        }
        assertThat(dp.layers()).hasSize(2);
        assertThat(dp.layers().get(0).readTokenOnly()).isFalse();
        assertThat(dp.layers().get(1).readTokenOnly()).isTrue();

        // the reference: the plain graph's softmax per layer, one unpadded example at a time
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain.model()));
        List<String> softmax = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Softmax") && n.getName().startsWith("encoder/layer"))
                .map(n -> n.getOutput(0)).toList();
        assertThat(softmax).hasSize(2);
        OnnxMl.GraphProto.Builder gb = model.getGraph().toBuilder();
        softmax.forEach(name -> gb.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name)));
        int t = 2;
        double[] mass = new double[2];
        long[] queries = new long[2];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toBuilder().setGraph(gb).build().toByteArray());
             TextTokenizer tok = TokenizerFiles.open(plain.manifest().tokenizer(), plain.manifestFile())) {
            for (String text : texts) {
                long[] ids = tok.encode(text, null, 32).ids();
                int len = ids.length;
                long[] ones = new long[len];
                Arrays.fill(ones, 1);
                Map<String, OnnxTensor> feeds = new HashMap<>();
                for (String in : s.getInputNames()) {
                    long[] v = in.equals("input_ids") ? ids : in.equals("attention_mask") ? ones : new long[len];
                    feeds.put(in, OnnxTensor.createTensor(env, LongBuffer.wrap(v), new long[] {1, len}));
                }
                try (OrtSession.Result r = s.run(feeds)) {
                    for (int li = 0; li < 2; li++) {
                        float[][][][] p = (float[][][][]) r.get(softmax.get(li)).get().getValue(); // [1, H, q, T]
                        int heads = p[0].length;
                        int q = p[0][0].length;
                        for (int row = 0; row < (q == 1 ? 1 : len); row++) {
                            double sum = 0;
                            for (int h = 0; h < heads; h++) {
                                for (int k = 0; k < t; k++) {
                                    sum += p[0][h][q == 1 ? 0 : t + row][k];
                                }
                            }
                            mass[li] += sum / heads;
                            queries[li]++;
                        }
                    }
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
        for (int li = 0; li < 2; li++) {
            double ref = mass[li] / queries[li];
            System.out.printf("diagnose layer %d: from Q, K %.6f, the graph's softmax %.6f, fused bundle %.6f%n", li,
                    dp.layers().get(li).promptAttention(), ref, df.layers().get(li).promptAttention());
            assertThat(ref).as("a prompt that gets attention at all").isGreaterThan(0.01);
            assertThat(dp.layers().get(li).promptAttention()).as("layer %d", li).isCloseTo(ref, within(1e-6));
            assertThat(df.layers().get(li).promptAttention()).as("fused, layer %d", li).isCloseTo(ref, within(1e-5));
        }
        assertThat(df.promptNorm()).isCloseTo(dp.promptNorm(), within(1e-5 * dp.promptNorm()));
    }

    /**
     * {@code train --diagnostics}: one record per epoch with the prompt figures and every trainable
     * tensor's gradient average. The generator's key bias shifts every score of a query equally, which
     * softmax ignores, so its gradient is zero: its average must be negligible next to the value bias's.
     */
    @Test
    void trainingRecordsDiagnosticsPerEpoch() throws Exception {
        Path run = tmp.resolve("sst2-run");
        CliRun r = CliRun.of("train", "--artifacts", run.toString(), "--data", "../data", "--epochs", "2",
                "--max-train-samples", "48", "--batch-size", "16", "--diagnostics", "8", "--threads", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("diagnostics after epoch 2: prompt/hidden norm");
        JsonObject d = JsonParser.parseString(java.nio.file.Files.readString(run.resolve("diagnostics.json"))).getAsJsonObject();
        assertThat(d.get("examples").getAsInt()).isEqualTo(8);
        assertThat(d.getAsJsonArray("epochs")).hasSize(2);
        for (var e : d.getAsJsonArray("epochs")) {
            JsonObject p = e.getAsJsonObject().getAsJsonObject("prompt");
            assertThat(p.get("prompt_norm").getAsDouble()).isPositive();
            assertThat(p.get("examples").getAsInt()).isEqualTo(8);
            assertThat(p.getAsJsonArray("layers").get(0).getAsJsonObject().get("prompt_attention").getAsDouble())
                    .isBetween(0.0, 1.0);
            JsonObject g = e.getAsJsonObject().getAsJsonObject("gradient_ema_norms");
            assertThat(g.keySet()).contains("idspam.k.b", "idspam.v.b", "head.out.w");
            assertThat(g.get("idspam.v.b").getAsDouble()).isPositive();
            assertThat(g.get("idspam.k.b").getAsDouble()).isLessThan(1e-4 * g.get("idspam.v.b").getAsDouble());
        }
        assertThat(run.resolve("report.md")).content().contains("## Diagnostics per epoch");
        CliRun bad = CliRun.of("train", "--artifacts", run.toString(), "--data", "../data", "--diagnostics", "-1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--diagnostics must be >= 0");
    }

    @Test
    void refusesWhatItCannotRead() {
        CliRun split = CliRun.of("diagnose", "--model", bundle.toString(), "--data", "../data", "--split", "test");
        assertThat(split.exit()).isEqualTo(2);
        assertThat(split.err()).contains("diagnose: --split must be dev, dev-mismatched or train, got 'test'");
        CliRun none = CliRun.of("diagnose", "--model", tmp.resolve("nothing").toString(), "--data", "../data");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("not an inference bundle");
    }
}
