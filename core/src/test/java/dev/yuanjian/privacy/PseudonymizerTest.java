package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {

    /** A test recognizer: every "张三" or "李四" is a person. */
    private static final Recognizer PEOPLE = new Recognizer() {
        @Override
        public String name() {
            return "test-people";
        }

        @Override
        public Set<EntityType> types() {
            return Set.of(EntityType.PERSON);
        }

        @Override
        public void recognize(NormalizedText text, List<Entity> found) {
            for (String name : List.of("张三", "李四")) {
                for (int i = text.text().indexOf(name); i >= 0; i = text.text().indexOf(name, i + 1)) {
                    found.add(new Entity(EntityType.PERSON, i, i + name.length(), 0.9, name()));
                }
            }
        }
    };

    private final Pseudonymizer pseudonymizer = new Pseudonymizer(new Analyzer(List.of(PEOPLE)));

    @Test
    void samePersonSamePlaceholderAndBackAgain() {
        PlaceholderMap map = new MemoryPlaceholderMap();
        var masked = pseudonymizer.mask("张三告诉李四，张三会来。", map);
        assertThat(masked.text()).isEqualTo("[PERSON_1]告诉[PERSON_2]，[PERSON_1]会来。");
        assertThat(Pseudonymizer.restore(masked.text(), map)).isEqualTo("张三告诉李四，张三会来。");
        assertThat(pseudonymizer.mask("李四", map).text()).isEqualTo("[PERSON_2]");
    }

    @Test
    void literalPlaceholdersInTheInputAreNeverReissuedOrRestored() {
        PlaceholderMap map = new MemoryPlaceholderMap();
        var masked = pseudonymizer.mask("[PERSON_1] is a literal; 张三 is not", map);
        assertThat(masked.text()).isEqualTo("[PERSON_1] is a literal; [PERSON_2] is not");
        assertThat(Pseudonymizer.restore(masked.text(), map)).isEqualTo("[PERSON_1] is a literal; 张三 is not");
    }

    @Test
    void restoreReadsNoPattern() {
        PlaceholderMap map = new MemoryPlaceholderMap();
        pseudonymizer.mask("张三", map);
        assertThat(Pseudonymizer.restore("[PERSON_1][PERSON_1x][PERSON_.] $1 \\1", map))
                .isEqualTo("张三[PERSON_1x][PERSON_.] $1 \\1");
    }

    @Test
    void overlapsKeepTheStrongerFinding() {
        List<Entity> kept = Analyzer.resolveOverlaps(List.of(
                new Entity(EntityType.CN_MOBILE, 3, 14, 0.6, "a"),
                new Entity(EntityType.CN_BANK_CARD, 0, 19, 1.0, "b"),
                new Entity(EntityType.EMAIL_ADDRESS, 20, 30, 0.5, "c")));
        assertThat(kept).extracting(Entity::recognizer).containsExactly("b", "c");
    }
}
