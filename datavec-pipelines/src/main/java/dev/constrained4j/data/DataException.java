package dev.constrained4j.data;

/**
 * Bad input data: a missing, truncated or corrupt file, or one of the wrong shape. The message is one line
 * that names the file, what is wrong, and how to fix it; runners print it without a stack trace.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
