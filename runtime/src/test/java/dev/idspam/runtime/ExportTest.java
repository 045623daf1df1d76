package dev.idspam.runtime;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.graphs.artifacts.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportTest {
    @TempDir
    Path dir;

    @Test
    void exportedModelReproducesEvalStepHereAndOnTheStockRuntime() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 21);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        List<Batch> data = model.data(4, 5, 22);
        TrainResult r = new Trainer(TestRuntime.get(), artifacts, TrainConfig.builder(dir.resolve("run")).epochs(2)
                .learningRate(0.05).build()).fit(BatchSource.of(data), BatchSource.of(data), null, null);
        Path exported = dir.resolve("model.onnx");
        Batch probe = data.get(1);
        float[] evalPred;
        try (TrainingSession s = TrainingSession.open(TestRuntime.get(), artifacts, r.bestCheckpoint())) {
            s.exportForInference(exported, List.of("pred"));
            evalPred = ((HostTensor.Floats) s.evalStep(probe).get("pred")).data();
            assertThatThrownBy(() -> s.exportForInference(dir.resolve("bad.onnx"), List.of("probs")))
                    .isInstanceOf(NativeRuntimeException.class).hasMessageContaining("its outputs are [loss, pred]");
        }
        assertThat(Files.exists(dir.resolve("bad.onnx"))).isFalse();

        try (InferenceModel m = InferenceModel.open(exported)) {
            assertThat(m.inputNames()).containsExactly("x"); // labels lost all consumers and were dropped
            Map<String, HostTensor> out = m.run(probe);
            double here = maxAbsDiff(((HostTensor.Floats) out.get("pred")).data(), evalPred);
            assertThat(here).isLessThanOrEqualTo(1e-6);
        }

        // the stock runtime: the Microsoft jar alone, in a JVM without the bytedeco core
        float[] x = ((HostTensor.Floats) probe.get("x")).data();
        JsonObject in = new JsonObject();
        in.add("x", new Gson().toJsonTree(x));
        in.addProperty("rows", x.length / TinyModel.IN);
        in.addProperty("cols", TinyModel.IN);
        Path inputFile = dir.resolve("x.json");
        Files.writeString(inputFile, in.toString());
        ForkedJvm.Result fork = ForkedJvm.run(StockRuntimeProbe.class, ForkedJvm::isBytedecoJar, "stock",
                exported.toString(), inputFile.toString());
        assertThat(fork.exitCode()).as(fork.stderr()).isZero();
        JsonObject res = new Gson().fromJson(fork.stdout().lines().reduce((a, b) -> b).orElseThrow(), JsonObject.class);
        assertThat(res.get("trainingEnabled").getAsBoolean()).isFalse();
        assertThat(res.get("version").getAsString()).isEqualTo(NativeRuntime.ORT_VERSION);
        assertThat(res.get("installError").getAsString()).contains("is not on the classpath; add org.bytedeco:onnxruntime:");
        JsonArray pred = res.getAsJsonArray("pred");
        float[] stock = new float[pred.size()];
        for (int i = 0; i < stock.length; i++) {
            stock[i] = pred.get(i).getAsFloat();
        }
        double diff = maxAbsDiff(stock, evalPred);
        System.out.printf("export: max |stock runtime - evalStep| = %.3g over %d values%n", diff, stock.length);
        assertThat(stock).hasSize(evalPred.length);
        assertThat(diff).isLessThanOrEqualTo(1e-6);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
