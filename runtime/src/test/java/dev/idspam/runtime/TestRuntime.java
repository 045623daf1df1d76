package dev.idspam.runtime;

/** The one runtime all tests of this module share (the environment is per JVM): CPU, 1 thread, no spinning. */
final class TestRuntime {
    static final RuntimeConfig CONFIG = RuntimeConfig.cpu().withThreads(1).withSpinning(false);

    private TestRuntime() {
    }

    static NativeRuntime get() {
        return NativeRuntime.install(CONFIG);
    }
}
