package dev.yuanjian.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Overlap resolution: the same winners as the plain definition (highest score, then longest, then
 * earliest; a candidate is kept when it overlaps nothing kept), and in O(n log n), since one request
 * can carry a million findings (attack: 4 MB of one repeated surname, {@code 王王王...}, is 700,000
 * two-character names; the linear scan of kept spans pinned a core for hours after the client left).
 */
class AnalyzerOverlapTest {

    private static final EntityType[] TYPES = EntityType.values();

    /** The definition, written the obvious quadratic way. */
    private static List<Entity> reference(List<Entity> entities) {
        List<Entity> ranked = new ArrayList<>(entities);
        ranked.sort(Comparator.comparingDouble(Entity::score).reversed()
                .thenComparing(Comparator.comparingInt(Entity::length).reversed())
                .thenComparingInt(Entity::start));
        List<Entity> kept = new ArrayList<>();
        for (Entity e : ranked) {
            if (kept.stream().noneMatch(k -> k.overlaps(e))) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparingInt(Entity::start));
        return kept;
    }

    @Test
    void keepsTheSameWinnersAsTheDefinitionOnRandomSpans() {
        Random random = new Random(20261201);
        for (int round = 0; round < 2_000; round++) {
            int n = random.nextInt(40);
            int textLength = 1 + random.nextInt(80);
            List<Entity> entities = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int start = random.nextInt(textLength);
                int end = start + 1 + random.nextInt(Math.min(12, textLength - start + 5));
                double score = random.nextInt(4) / 4.0 + 0.25;
                entities.add(new Entity(TYPES[random.nextInt(TYPES.length)], start, end, score, "r"));
            }
            assertEquals(reference(entities), Analyzer.resolveOverlaps(entities), "round " + round);
        }
    }

    @Test
    void aMillionAdjacentFindingsAreResolvedWithoutAQuadraticScan() {
        List<Entity> entities = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            entities.add(new Entity(EntityType.PERSON, 2 * i, 2 * i + 2, 0.85, "zh-names"));
            entities.add(new Entity(EntityType.PERSON, 2 * i + 1, 2 * i + 3, 0.85, "zh-names"));
        }
        // The bound is about a thousand times what n log n needs here; the quadratic scan needs hours.
        List<Entity> kept = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> Analyzer.resolveOverlaps(entities));
        assertEquals(1_000_000, kept.size());
        assertEquals(0, kept.get(0).start());
        assertEquals(1_999_998, kept.get(kept.size() - 1).start());
    }
}
