package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.EntityType;
import java.util.List;

/**
 * One case of the privacy evaluation set: a text and the personal data in it, as a person would mark
 * it. Hard negatives are cases whose {@code expected} list is empty (or lacks the look-alike).
 *
 * @param language "zh" or "en"
 * @param template which template made it, for reading errors
 */
public record LabelledText(String language, String template, String text, List<Expected> expected) {
    public LabelledText {
        expected = List.copyOf(expected);
    }

    /** A span that should be found: UTF-16 offsets into {@code text}. */
    public record Expected(EntityType type, int start, int end) {
    }
}
