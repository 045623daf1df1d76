package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training on CUDA gives the CPU's losses (within float tolerance). TF32 matrix products are switched
 * off in the forked JVM ({@code NVIDIA_TF32_OVERRIDE=0}); with them on (the default for speed) the
 * losses differed by 1.4e-4 on an H200. Needs the linux-x86_64-gpu core on
 * the test classpath and a GPU with CUDA 13 / cuDNN 9; skipped (and reported skipped) otherwise.
 * Runs in a forked JVM because the device is fixed per process.
 */
class CudaTrainingTest {
    @TempDir
    Path dir;

    static List<Float> steps(NativeRuntime rt, Artifacts artifacts, List<Batch> data) throws Exception {
        List<Float> losses = new ArrayList<>();
        try (TrainingSession s = TrainingSession.open(rt, artifacts, artifacts.checkpoint())) {
            s.setLearningRate(0.05f);
            for (int update = 0; update < 2; update++) {
                s.lazyResetGrad();
                losses.add(s.trainStep(data.get(2 * update)));
                losses.add(s.trainStep(data.get(2 * update + 1)));
                s.optimizerStep();
            }
            losses.add(((HostTensor.Floats) s.evalStep(data.get(0)).get("loss")).scalar());
        }
        return losses;
    }

    @Test
    void cudaTrainingMatchesCpu() throws Exception {
        CudaRequirement.require(CudaTrainingTest.class.getResource(NativeRuntime.GPU_CORE) != null,
                "the linux-x86_64-gpu ONNX Runtime core is not on the test classpath (build with -Pgpu)");
        CudaRequirement.require(NativeRuntime.missingLibraries(NativeRuntime.CUDA_LIBRARIES).isEmpty(),
                "CUDA 13 / cuDNN 9 libraries are not installed: missing "
                        + NativeRuntime.missingLibraries(NativeRuntime.CUDA_LIBRARIES));
        TinyModel model = new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 41);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        List<Float> cpu = steps(TestRuntime.get(), artifacts, model.data(4, 8, 42));
        ForkedJvm.Result r = ForkedJvm.run(List.of(CudaProvider.JVM_FLAGS.split(" ")),
                Map.of("NVIDIA_TF32_OVERRIDE", "0"), CudaProbe.class, e -> false, artifacts.directory().toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        List<String> last = lines.subList(lines.size() - cpu.size(), lines.size());
        for (int i = 0; i < cpu.size(); i++) {
            assertThat(Float.parseFloat(last.get(i))).as("loss %d", i).isCloseTo(cpu.get(i),
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
