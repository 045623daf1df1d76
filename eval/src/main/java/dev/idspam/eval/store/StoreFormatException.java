package dev.idspam.eval.store;

/**
 * A line of the results store that cannot be read: the message starts with the file and line
 * number. Thrown for damage in the middle of the file; an interrupted last append is only a
 * warning (see {@link ResultsStore#read()}).
 */
public final class StoreFormatException extends RuntimeException {

    public StoreFormatException(String message) {
        super(message);
    }

    public StoreFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
