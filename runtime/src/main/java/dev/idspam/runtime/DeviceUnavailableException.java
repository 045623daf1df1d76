package dev.idspam.runtime;

/** The requested {@link Device} cannot be used here; the message says why and how to fix it. */
public final class DeviceUnavailableException extends NativeRuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
