package dev.idspam.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeRuntimeTest {
    @Test
    void installsTheTrainingEnabledCoreOnce() {
        NativeRuntime rt = TestRuntime.get();
        assertThat(rt.environment().isTrainingEnabled()).isTrue();
        assertThat(rt.version()).isEqualTo(NativeRuntime.ORT_VERSION);
        assertThat(rt.coreLocation()).endsWith("libonnxruntime.so.1");
        assertThat(NativeRuntime.install(TestRuntime.CONFIG)).isSameAs(rt);
        assertThat(NativeRuntime.current()).containsSame(rt);
        assertThatThrownBy(() -> NativeRuntime.install(TestRuntime.CONFIG.withThreads(3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a new JVM");
    }

    /** No GPU core on this classpath: CUDA is refused with the reason and the fix, before anything loads. */
    @Test
    void cudaWithoutTheGpuCoreFailsWithTheFix() {
        assertThatThrownBy(() -> NativeRuntime.install(RuntimeConfig.cuda(0)))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("GPU build of the ONNX Runtime native core is not on the classpath")
                .hasMessageContaining("org.bytedeco:onnxruntime:1.24.1-1.5.13 with classifier linux-x86_64-gpu")
                .hasMessageContaining("libcudnn.so.9")
                .hasMessageContaining("LD_LIBRARY_PATH");
    }

    @Test
    void findsMissingSharedLibraries() {
        assertThat(NativeRuntime.missingLibraries(java.util.List.of("libc.so.6", "libnot-there.so.42")))
                .containsExactly("libnot-there.so.42");
    }

    /** ai.onnxruntime initialised first (stock core loaded): install refuses instead of crashing later. */
    @Test
    void refusesWhenOrtWasInitialisedFirst() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(StockRuntimeProbe.class, e -> false, "early");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("ai.onnxruntime was initialised before NativeRuntime.install()")
                .contains("call NativeRuntime.install() before any OrtEnvironment");
    }
}
