package dev.yuanjian.privacy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs every recognizer over a text and returns what they found, in the original text's offsets,
 * without overlaps: where two findings overlap the higher score wins, then the longer span, then
 * the earlier one. Immutable and thread-safe when its recognizers are.
 */
public final class Analyzer {
    private static final Comparator<Entity> PRECEDENCE = Comparator.comparingDouble(Entity::score).reversed()
            .thenComparing(Comparator.comparingInt(Entity::length).reversed())
            .thenComparingInt(Entity::start);

    private final List<Recognizer> recognizers;

    public Analyzer(List<Recognizer> recognizers) {
        this.recognizers = List.copyOf(recognizers);
    }

    /** The recognizers, in the order they run. */
    public List<Recognizer> recognizers() {
        return recognizers;
    }

    /** The entities in {@code text}, sorted by start, none overlapping. */
    public List<Entity> analyze(String text) {
        NormalizedText normalized = NormalizedText.of(text);
        List<Entity> found = new ArrayList<>();
        for (Recognizer r : recognizers) {
            r.recognize(normalized, found);
        }
        List<Entity> mapped = new ArrayList<>(found.size());
        for (Entity e : found) {
            mapped.add(new Entity(e.type(), normalized.originalStart(e.start()), normalized.originalEnd(e.end()),
                    e.score(), e.recognizer()));
        }
        return resolveOverlaps(mapped);
    }

    /**
     * Keeps the findings by precedence, each only if it overlaps none kept before: O(n log n), since
     * the kept spans are disjoint and only the one starting last before a span's end can overlap it.
     */
    static List<Entity> resolveOverlaps(List<Entity> entities) {
        List<Entity> ranked = new ArrayList<>(entities);
        ranked.sort(PRECEDENCE);
        TreeMap<Integer, Entity> kept = new TreeMap<>();
        for (Entity e : ranked) {
            Map.Entry<Integer, Entity> before = kept.lowerEntry(e.end());
            if (before == null || before.getValue().end() <= e.start()) {
                kept.put(e.start(), e);
            }
        }
        return new ArrayList<>(kept.values());
    }
}
