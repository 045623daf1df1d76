package dev.idspam.server;

import dev.idspam.datasets.task.Task;
import dev.idspam.serving.BundleSource;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The serving library's builder (it lives with the server's tests, which have the tiny bundle
 * writer): the same bundle from a folder, the classpath and a zip stream gives the same typed
 * predictions, with the threads set; a copied source leaves no temporary folder and its errors name
 * the source.
 */
class PredictorSourcesTest {
    @TempDir
    Path dir;

    @Test
    void folderClasspathAndStreamGiveTheSamePredictions() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("cp/models/sst2"), Task.SST2, 1);
        List<String> texts = List.of("the film is good", "a dull plot");
        List<Predictor.Prediction> want;
        try (Predictor p = Predictor.builder().threads(1).interOpThreads(1).model(bundle).build()) {
            want = p.predictAll(texts, null);
        }
        long tmpBefore = tempCopies();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, null);
             Predictor p = Predictor.builder().intraOpThreads(2).model(BundleSource.classpath(cl, "/models/sst2/")).build()) {
            assertThat(p.predictAll(texts, null)).extracting(Predictor.Prediction::probabilities)
                    .isEqualTo(want.stream().map(Predictor.Prediction::probabilities).toList());
        }
        try (Predictor p = Predictor.builder().model(new ByteArrayInputStream(zip(bundle, true))).build()) {
            Predictor.Prediction r = p.predictAll(texts, null).get(0);
            assertThat(r.label()).isEqualTo(want.get(0).label());
            assertThat(r.labelIndex()).isEqualTo(List.of("negative", "positive").indexOf(r.label()));
            assertThat(r.regression()).isFalse();
            assertThat(Double.isNaN(r.score())).isTrue();
            assertThat(r.probabilities().keySet()).containsExactly("negative", "positive");
            assertThat(p.predictAll(List.of(), null)).isEmpty();
            assertThatThrownBy(() -> p.predict("a", "b")).hasMessageContaining("takes a single text, not a pair");
        }
        assertThat(tempCopies()).isEqualTo(tmpBefore);
    }

    @Test
    void regressionGivesAScore() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("stsb"), Task.STSB, 1);
        try (Predictor p = Predictor.builder().model(bundle).build()) {
            Predictor.Prediction r = p.predict("a man runs", "a dog runs");
            assertThat(r.regression()).isTrue();
            assertThat(r.labelIndex()).isEqualTo(-1);
            assertThat(r.score()).isEqualTo(r.logits()[0]).isEqualTo(r.value());
        }
    }

    @Test
    void aStreamWithoutTheModelIsRefusedNamingTheSource() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("b"), Task.SST2, 1);
        long tmpBefore = tempCopies();
        assertThatThrownBy(() -> Predictor.builder().model(BundleSource.zip(new ByteArrayInputStream(zip(bundle, false)), "sst2.zip")).build())
                .isInstanceOf(IOException.class).hasMessage("sst2.zip/model.onnx: the bundle's model file is missing");
        assertThatThrownBy(() -> Predictor.builder().modelFromClasspath("no/such/bundle").build())
                .hasMessageContaining("classpath:/no/such/bundle/bundle.json: not an inference bundle");
        assertThatThrownBy(() -> Predictor.builder().threads(0)).hasMessage("intra-op threads must be at least 1, got 0");
        assertThat(tempCopies()).isEqualTo(tmpBefore);
    }

    private static byte[] zip(Path bundle, boolean withModel) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (String f : List.of("bundle.json", "vocab.txt", "model.onnx")) {
                if (withModel || !f.equals("model.onnx")) {
                    z.putNextEntry(new ZipEntry(f));
                    z.write(Files.readAllBytes(bundle.resolve(f)));
                    z.closeEntry();
                }
            }
        }
        return b.toByteArray();
    }

    private static long tempCopies() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("idspam-bundle-")).count();
        }
    }
}
