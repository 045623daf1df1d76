package dev.idspam.server;

/**
 * A request that ends with a client or capacity status: one line for the caller, and, for 429 and
 * 503, the Retry-After the response carries.
 */
final class ApiError extends RuntimeException {
    final int status;
    final boolean retryAfter;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = status == 429 || status == 503;
    }
}
