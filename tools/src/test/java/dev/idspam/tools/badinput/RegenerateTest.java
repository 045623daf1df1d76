package dev.idspam.tools.badinput;

import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.tools.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Regenerating over a trained run: a bad option changes nothing, a good one replaces the artifacts and drops the run. */
class RegenerateTest {
    @Test
    void regeneratingReplacesTheArtifactsAndRemovesTheEarlierRun(@TempDir Path dir) throws Exception {
        Path backbone = TinyRun.writeBackbone(dir.resolve("backbone"), 11);
        Path data = TinyRun.writeData(dir.resolve("data"), 12);
        Path run = dir.resolve("run");
        List<String> generate = List.of("generate", "--backbone", backbone.toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--out", run.toString());
        assertThat(Main.execute(generate.toArray(String[]::new))).isZero();
        assertThat(Main.execute("train", "--artifacts", run.toString(), "--data", data.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1")).isZero();
        Files.writeString(run.resolve("notes.txt"), "kept");
        assertThat(names(run)).contains("best.ckpt", "best.ckpt.sha256", "last.ckpt", "last.ckpt.sha256", "report.json",
                "report.md", "dev_predictions.tsv");
        Map<String, String> trained = digests(run);

        List<String> bad = new java.util.ArrayList<>(generate);
        bad.set(bad.indexOf("--layer") + 1, "5");
        assertThat(Main.execute(bad.toArray(String[]::new))).isEqualTo(2);
        assertThat(digests(run)).isEqualTo(trained);

        List<String> other = new java.util.ArrayList<>(generate);
        other.addAll(List.of("--seed", "9"));
        assertThat(Main.execute(other.toArray(String[]::new))).isZero();
        assertThat(names(run)).containsExactlyInAnyOrder("manifest.json", "training_model.onnx", "eval_model.onnx",
                "optimizer_model.onnx", "checkpoint", "vocab.txt", "notes.txt", "training_model_cached.onnx",
                "eval_model_cached.onnx", "prefix_model.onnx");

        assertThat(ModelInfo.of(Artifacts.open(run)).seed()).isEqualTo(9);
        assertThat(Files.readString(run.resolve("notes.txt"))).isEqualTo("kept");

        // another method, without a frozen prefix: the earlier prefix-cache graphs go too
        List<String> lora = new java.util.ArrayList<>(List.of("generate", "--backbone", generate.get(generate.indexOf("--backbone") + 1),
                "--method", "lora", "--task", "sst2", "--max-length", "32", "--out", run.toString()));
        assertThat(Main.execute(lora.toArray(String[]::new))).isZero();
        assertThat(names(run)).containsExactlyInAnyOrder("manifest.json", "training_model.onnx", "eval_model.onnx",
                "optimizer_model.onnx", "checkpoint", "vocab.txt", "notes.txt");
    }

    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Workspace.sha256(p));
            }
        }
        return m;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
