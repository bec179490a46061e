package dev.yuanjian.container;

/**
 * What a person should know about a file's structure, in English and in Chinese: damage a reader
 * works around, a repair made before labelling, a store of another standard found in the file.
 * The pipeline and the verifier pass it on as a message; it never changes a verdict.
 */
public record Notice(String en, String zh) {
    public Notice {
        java.util.Objects.requireNonNull(en, "en");
        java.util.Objects.requireNonNull(zh, "zh");
    }
}
