package dev.yuanjian.label;

/**
 * No codec handles this file: a format the product does not label (as opposed to a broken file of
 * a format it does, which is a plain {@link LabelFormatException}). The HTTP API answers 415 for
 * this and 422 for the other.
 */
public final class UnsupportedFormatException extends LabelFormatException {
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
