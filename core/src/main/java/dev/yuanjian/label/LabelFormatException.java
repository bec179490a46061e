package dev.yuanjian.label;

/**
 * The input cannot be labelled or read as it stands: an unknown or corrupt format, a label that is
 * not valid JSON, two labels in one file. The message says what was wrong and where, in words a
 * user can act on.
 */
public class LabelFormatException extends Exception {
    public LabelFormatException(String message) {
        super(message);
    }

    public LabelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
