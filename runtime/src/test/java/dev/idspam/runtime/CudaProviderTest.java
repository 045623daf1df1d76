package dev.idspam.runtime;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CUDA attach path up to the native call, on a machine without a GPU: the CPU core exports the
 * same C entry point, so calling it must come back with ONNX Runtime's own refusal (the CUDA provider
 * library is not beside the CPU core), read through the API's error-message function.
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
