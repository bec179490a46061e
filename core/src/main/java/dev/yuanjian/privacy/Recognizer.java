package dev.yuanjian.privacy;

import java.util.List;
import java.util.Set;

/**
 * Finds one or a few kinds of personal data in normalised text. A recognizer is small and
 * declarative (pattern, validator, context words), as Presidio's are; the {@link Analyzer} knows
 * none of them by name. Implementations are immutable and safe to share between threads, and run
 * in time linear in the text's length whatever the text (no backtracking blow-up).
 */
public interface Recognizer {

    /** Stable name, reported with every finding. */
    String name();

    /** The kinds this recognizer can report. */
    Set<EntityType> types();

    /**
     * Adds what it finds in {@code text} to {@code found}, with offsets in the <em>normalised</em>
     * text ({@link NormalizedText#text()}); the analyzer maps them back.
     */
    void recognize(NormalizedText text, List<Entity> found);
}
