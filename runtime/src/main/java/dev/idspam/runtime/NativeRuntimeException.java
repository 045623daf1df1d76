package dev.idspam.runtime;

/**
 * A failure inside ONNX Runtime or its native wiring. {@code OrtException}s are wrapped exactly
 * once, here at the runtime boundary, with what was being done and the original as the cause.
 */
public class NativeRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeRuntimeException(String message) {
        super(message);
    }

    public NativeRuntimeException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
