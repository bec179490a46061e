package dev.yuanjian.privacy;

import dev.yuanjian.privacy.rules.Rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnalyzerTest {

    @Test
    void higherScoreThenLongerThenEarlierWins() {
        Entity low = new Entity(EntityType.CN_BANK_CARD, 0, 18, 0.9, "card");
        Entity high = new Entity(EntityType.CN_RESIDENT_ID, 0, 18, 1.0, "id");
        Entity shortOne = new Entity(EntityType.EMAIL_ADDRESS, 20, 25, 1.0, "a");
        Entity longOne = new Entity(EntityType.URL_WITH_CREDENTIALS, 18, 30, 1.0, "b");
        assertThat(Analyzer.resolveOverlaps(List.of(low, high, shortOne, longOne))).containsExactly(high, longOne);
    }

    @Test
    void agreesWithTheQuadraticDefinitionOnRandomSpans() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            List<Entity> spans = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                int start = random.nextInt(100);
                spans.add(new Entity(EntityType.IP_ADDRESS, start, start + 1 + random.nextInt(12),
                        random.nextInt(4) / 4.0 + 0.25, "r" + k));
            }
            assertThat(Analyzer.resolveOverlaps(spans)).isEqualTo(quadratic(spans));
        }
    }

    /** The definition: by precedence, keep each span that overlaps none kept before. */
    private static List<Entity> quadratic(List<Entity> spans) {
        List<Entity> ranked = new ArrayList<>(spans);
        ranked.sort(Comparator.comparingDouble(Entity::score).reversed()
                .thenComparing(Comparator.comparingInt(Entity::length).reversed()).thenComparingInt(Entity::start));
        List<Entity> kept = new ArrayList<>();
        for (Entity e : ranked) {
            if (kept.stream().noneMatch(e::overlaps)) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparingInt(Entity::start));
        return kept;
    }

    @Test
    void theRuleLayerFindsEachKindInOneText() {
        String text = "张先生，身份证11010519491231002X，手机＋86 138‑1234‑5678，邮箱zhang@example.com，"
                + "卡号6222 0212 3456 7894，车牌京AD12345，服务器10.0.0.8。";
        List<String> found = new Analyzer(Rules.all()).analyze(text).stream()
                .map(e -> e.type().tag() + "=" + e.in(text)).toList();
        assertThat(found).containsExactly("ID_CARD=11010519491231002X", "PHONE=＋86 138‑1234‑5678",
                "EMAIL=zhang@example.com", "BANK_CARD=6222 0212 3456 7894", "PLATE=京AD12345", "IP=10.0.0.8");
    }
}
