package dev.idspam.runtime;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both CUDA attach paths (JDK 17's incubator API, and java.lang.foreign on Java 22+) up to the native
 * call, on a machine without a GPU: the CPU core exports the same C entry point, so calling it must
 * come back with ONNX Runtime's own refusal (the CUDA provider library is not beside the CPU core),
 * read through the API's error-message function.
 */
class CudaProviderTest {
    @Test
    void withoutTheJvmFlagsTheErrorNamesThem() {
        NativeRuntime rt = TestRuntime.get();
        try (OrtSession.SessionOptions so = rt.sessionOptions()) {
            assertThatThrownBy(() -> NativeRuntime.appendCuda(so, 0))
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("--add-modules jdk.incubator.foreign")
                    .hasMessageContaining("--enable-native-access=ALL-UNNAMED");
        }
    }

    /** A Java 22+ installation for the java.lang.foreign path: {@code IDSPAM_TEST_JDK22_HOME}, or Temurin 25 where installed. */
    static Optional<Path> laterJdk() {
        String given = System.getenv("IDSPAM_TEST_JDK22_HOME");
        Path home = given != null ? Path.of(given) : Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        return Files.isExecutable(home.resolve("bin/java")) ? Optional.of(home) : Optional.empty();
    }

    @Test
    void onJava22AndLaterTheForeignApiPathReturnsTheSameRefusal() throws Exception {
        Optional<Path> jdk = laterJdk();
        assumeTrue(jdk.isPresent(), "no Java 22+ installation (set IDSPAM_TEST_JDK22_HOME)");
        ForkedJvm.Result r = ForkedJvm.run(jdk.get(), List.of("--enable-native-access=ALL-UNNAMED"), Map.of(),
                CudaAppendProbe.class, ForkedJvm::isBytedecoGpuJar);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip())
                .startsWith("DeviceUnavailableException: ONNX Runtime refused the CUDA execution provider")
                .contains("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library")
                .doesNotContain("error message unavailable");
    }

    @Test
    void theNativeCallReturnsOnnxRuntimesRefusalOnTheCpuCore() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(List.of(CudaProvider.JVM_FLAGS.split(" ")), Map.of(), CudaAppendProbe.class,
                ForkedJvm::isBytedecoGpuJar);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String line = r.stdout().strip();
        assertThat(line).startsWith("DeviceUnavailableException: ONNX Runtime refused the CUDA execution provider")
                .contains("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library")
                .doesNotContain("error message unavailable");
    }
}
