package dev.yuanjian.container;

/**
 * No container handles this file: a format the product does not mark (as opposed to a broken file
 * of a format it does, which is a plain {@link FormatException}). The HTTP API answers 415 for this
 * and 422 for the other.
 */
public final class UnsupportedFormatException extends FormatException {
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
