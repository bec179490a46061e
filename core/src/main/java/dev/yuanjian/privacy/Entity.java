package dev.yuanjian.privacy;

import java.util.Objects;

/**
 * One piece of personal data found in a text.
 *
 * @param type       what it is
 * @param start      first UTF-16 index in the text as given (not the normalised one), inclusive
 * @param end        UTF-16 index just after it, exclusive
 * @param score      confidence in [0, 1]; validated checksums score 1.0
 * @param recognizer the {@link Recognizer#name()} that found it
 */
public record Entity(EntityType type, int start, int end, double score, String recognizer) {
    public Entity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(recognizer, "recognizer");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score out of [0, 1]: " + score);
        }
    }

    /** The length in UTF-16 units. */
    public int length() {
        return end - start;
    }

    /** The found value itself, cut from {@code text}. */
    public String in(String text) {
        return text.substring(start, end);
    }

    /** True when the two spans share at least one character. */
    public boolean overlaps(Entity other) {
        return start < other.end && other.start < end;
    }
}
