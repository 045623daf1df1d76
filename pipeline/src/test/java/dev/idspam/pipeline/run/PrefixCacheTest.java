package dev.idspam.pipeline.run;

import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * Training with the prefix cache computes what training without it computes: ID-SPAM on MiniLM at
 * m = 3, CB, 3 epochs, once with {@code --prefix-cache off}, once in memory and once on disk, from
 * the same generated artifacts. Every epoch's training and dev loss agree within 1e-6, the best
 * epoch is the same, the trained weights agree, and the disk cache leaves no file behind. Methods
 * without a frozen prefix, and caches over the cap, fall back (auto) or are refused (memory, disk)
 * with a message naming the reason.
 */
class PrefixCacheTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);
    private static final long SEED = 11;
    private static final int EPOCHS = 3;

    @TempDir
    static Path dir;
    private static List<Path> data;
    private static Path idspam;
    private static Path lora;

    @BeforeAll
    static void generate() throws IOException {
        data = List.of(Path.of(System.getProperty("idspam.data", "../data")));
        BackboneSource source = BackboneCatalog.resolve(BackboneCatalog.DEFAULT_ID);
        BackboneWeights weights = source.load();
        idspam = dir.resolve("idspam");
        Generate.run(new Generate.Spec(BackboneCatalog.DEFAULT_ID, MethodSpec.of("idspam", Map.of("layer", 3, "prompt-tokens", 4)),
                Task.CB, SEED, AdamWConfig.defaults(), 64, idspam), source, weights);
        lora = dir.resolve("lora");
        Generate.run(new Generate.Spec(BackboneCatalog.DEFAULT_ID, MethodSpec.of("lora", Map.of()), Task.CB, SEED,
                AdamWConfig.defaults(), 64, lora), source, weights);
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

    private static TrainJob.Spec spec(Path folder, int epochs, int samples, PrefixCache.Mode mode, int capMb) {
        return new TrainJob.Spec(folder, data, epochs, 16, 2e-3, 0.06, 1, SEED, samples, false, false, false, RUN, mode, capMb);
    }

    /** Runs training and returns its notes; each epoch's summary (losses not rounded) goes to {@code epochs}. */
    private static List<String> train(TrainJob.Spec spec, List<TrainJob.Outcome> out, List<EpochSummary> epochs)
            throws IOException {
        List<String> notes = new ArrayList<>();
        out.add(TrainJob.run(spec, new TrainingListener() {
            @Override
            public void onNote(String line) {
                notes.add(line);
            }

            @Override
            public void onEpochEnd(EpochSummary summary) {
                epochs.add(summary);
            }
        }));
        return notes;
    }

    private static List<String> train(TrainJob.Spec spec, List<TrainJob.Outcome> out) throws IOException {
        return train(spec, out, new ArrayList<>());
    }

    @Test
    void cachedRunsEqualTheUncachedRun() throws IOException {
        List<TrainJob.Outcome> runs = new ArrayList<>();
        List<List<EpochSummary>> epochs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<String> off = train(spec(copy(idspam, "off"), EPOCHS, 64, PrefixCache.Mode.OFF, 2048), runs, epochs.get(0));
        List<String> memory = train(spec(copy(idspam, "memory"), EPOCHS, 64, PrefixCache.Mode.MEMORY, 2048), runs,
                epochs.get(1));
        Path diskRun = copy(idspam, "disk");
        // a link planted where the scratch file goes is removed, not written through
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Files.createSymbolicLink(diskRun.resolve(TrainJob.TRAIN_CACHE_FILE), victim);
        List<String> disk = train(spec(diskRun, EPOCHS, 64, PrefixCache.Mode.DISK, 2048), runs, epochs.get(2));
        assertThat(off).containsExactly("prefix cache: off (--prefix-cache off)");
        assertThat(memory).singleElement().asString().startsWith("prefix cache: memory, X_3 of 64 training and 56 dev examples");
        assertThat(disk).singleElement().asString().startsWith("prefix cache: disk");

        List<EpochSummary> reference = epochs.get(0);
        assertThat(reference).hasSize(EPOCHS);
        for (int k = 1; k < 3; k++) {
            assertThat(runs.get(k).report().bestEpoch()).isEqualTo(runs.get(0).report().bestEpoch());
            assertThat(runs.get(k).report().frozenWeightsUnchanged()).isTrue();
            for (int e = 0; e < EPOCHS; e++) {
                EpochSummary x = reference.get(e);
                EpochSummary y = epochs.get(k).get(e);
                assertThat(y.trainLoss()).as("run %d epoch %d train loss", k, e + 1).isCloseTo(x.trainLoss(), within(1e-6));
                assertThat(y.dev().loss()).as("run %d epoch %d dev loss", k, e + 1).isCloseTo(x.dev().loss(), within(1e-6));
                assertThat(y.best()).isEqualTo(x.best());
            }
        }
        // the losses moved: the comparison is between runs that learned something
        assertThat(reference.get(EPOCHS - 1).trainLoss()).isLessThan(reference.get(0).trainLoss());

        Map<String, float[]> a = trainable(dir.resolve("off").resolve("last.ckpt"));
        Map<String, float[]> b = trainable(dir.resolve("memory").resolve("last.ckpt"));
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).as("%s[%d]", name, i).isCloseTo(x[i], within(1e-5f));
            }
        }
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(diskRun.resolve(TrainJob.TRAIN_CACHE_FILE)).doesNotExist();
        assertThat(diskRun.resolve(TrainJob.DEV_CACHE_FILE)).doesNotExist();
    }

    private static Map<String, float[]> trainable(Path checkpoint) throws IOException {
        Map<String, float[]> m = new java.util.TreeMap<>();
        for (NamedTensor t : Checkpoint.read(checkpoint).trainable()) {
            m.put(t.name(), t.data().toFloats());
        }
        return m;
    }

    @Test
    void aMethodWithoutFrozenPrefixTrainsWithoutTheCacheOrIsRefused() throws IOException {
        assertThat(lora.resolve(ArtifactNames.CACHED_TRAINING_MODEL)).doesNotExist();
        assertThat(idspam.resolve(ArtifactNames.CACHED_TRAINING_MODEL)).isRegularFile();
        List<String> notes = train(spec(copy(lora, "lora-auto"), 1, 16, PrefixCache.Mode.AUTO, 2048), new ArrayList<>());
        assertThat(notes).singleElement().asString().startsWith("prefix cache: off: method lora has no frozen layers");
        assertThatThrownBy(() -> TrainJob.run(spec(copy(lora, "lora-memory"), 1, 16, PrefixCache.Mode.MEMORY, 2048),
                TrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prefix-cache memory").hasMessageContaining("has no prefix-cache graphs");
    }

    @Test
    void autoCachesOnTheCpuButNotOnCuda() {
        // measured on an H200: host-resident X_m made each step slower than recomputing the prefix
        assertThat(PrefixCacheUse.autoDeclines(Device.CPU)).isNull();
        assertThat(PrefixCacheUse.autoDeclines(Device.CUDA)).contains("host to device").contains("--prefix-cache memory");
    }

    @Test
    void aCacheOverTheCapFallsBackOrIsRefused() throws IOException {
        List<String> notes = train(spec(copy(idspam, "cap-auto"), 1, 16, PrefixCache.Mode.AUTO, 1), new ArrayList<>());
        assertThat(notes).singleElement().asString().startsWith("prefix cache: off: the cache would take")
                .contains("over the cap of 1.0 MiB (--prefix-cache-max-mb)");
        assertThatThrownBy(() -> TrainJob.run(spec(copy(idspam, "cap-disk"), 1, 16, PrefixCache.Mode.DISK, 1),
                TrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prefix-cache disk: the cache would take").hasMessageContaining("over the cap");
    }
}
