package dev.yuanjian.ledger;

/** The log's storage failed or holds something it never wrote; the message says which. */
public class LogStorageException extends RuntimeException {
    public LogStorageException(String message) {
        super(message);
    }

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
