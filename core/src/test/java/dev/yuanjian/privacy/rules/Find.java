package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.Recognizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** What one recognizer finds in a text, through the real analyzer (normalisation, offsets back, overlaps). */
final class Find {
    /** Tests' today: 2026-12-01. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private Find() {
    }

    /** The found values as cut from the original text. */
    static List<String> values(Recognizer r, String text) {
        return entities(r, text).stream().map(e -> e.in(text)).toList();
    }

    static List<Entity> entities(Recognizer r, String text) {
        return new Analyzer(List.of(r)).analyze(text);
    }

    /** A table's expected column: values separated by " ; ", none when empty. */
    static List<String> expected(String column) {
        return column == null || column.isBlank() ? List.of() : Arrays.asList(column.split(" ; "));
    }
}
