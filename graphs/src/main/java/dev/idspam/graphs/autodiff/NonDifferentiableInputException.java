package dev.idspam.graphs.autodiff;

/** Thrown when a gradient is requested through an input that has no gradient (an index, a shape). */
public final class NonDifferentiableInputException extends RuntimeException {
    public NonDifferentiableInputException(String message) {
        super(message);
    }
}
