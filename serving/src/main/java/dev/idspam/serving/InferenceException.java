package dev.idspam.serving;

/**
 * A failure inside ONNX Runtime while loading or running a bundle's model; the message says what
 * was being done, followed by ONNX Runtime's own message.
 */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
