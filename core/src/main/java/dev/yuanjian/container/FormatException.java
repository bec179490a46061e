package dev.yuanjian.container;

/**
 * The input cannot be read or marked as it stands: an unknown or corrupt format, a mark's data in
 * it that does not parse (an {@code AIGC} value that is not JSON), a property stored twice. The
 * message says what was wrong and where, in words a user can act on.
 */
public class FormatException extends Exception {
    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
