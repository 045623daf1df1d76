package dev.idspam.runtime;

/**
 * Where ONNX Runtime executes. CUDA is used only when asked for; when it cannot be loaded the
 * runtime fails with the reason and the fix ({@link DeviceUnavailableException}), never falls back silently.
 */
public enum Device {
    CPU,
    CUDA
}
