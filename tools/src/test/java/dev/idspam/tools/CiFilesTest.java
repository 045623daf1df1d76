package dev.idspam.tools;

import dev.idspam.pipeline.ci.CiSuite;
import dev.idspam.runtime.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped GPU workflow and its suite: the suite parses, and the workflow runs the documented commands. */
class CiFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theGpuSuiteIsValidAndRunsOnCuda() throws Exception {
        CiSuite s = CiSuite.read(ROOT.resolve("ci/gpu-eval.json"));
        assertThat(s.checks()).hasSize(3).allSatisfy(c -> assertThat(c.device()).isEqualTo(Device.CUDA));
        assertThat(s.baseline()).isNotNull();
    }

    @Test
    void theCpuSuiteIsValidAndGatesTheDemoModel() throws Exception {
        CiSuite s = CiSuite.read(ROOT.resolve("ci/cpu-eval.json"));
        assertThat(s.checks()).hasSize(3).allSatisfy(c -> {
            assertThat(c.device()).isEqualTo(Device.CPU);
            assertThat(c.model().normalize().toString()).contains("runs/demo/");
        });
    }

    @Test
    void theWorkflowRunsOnASelfHostedGpuRunnerWithCudaRequired() throws Exception {
        String w = Files.readString(ROOT.resolve(".github/workflows/gpu-eval.yml"));
        assertThat(w).contains("runs-on: [self-hosted, gpu]", "mvn -B -Pgpu test -Didspam.requireCuda=true",
                "./idspam ci-eval ci/gpu-eval.json --out target/ci-eval", "target/ci-eval/junit.xml");
        assertThat(Files.readString(ROOT.resolve("docs/ci.md"))).contains("mvn -B -Pgpu test -Didspam.requireCuda=true",
                "IDSPAM_GPU=1 ./idspam ci-eval ci/gpu-eval.json --out target/ci-eval");
    }
}
