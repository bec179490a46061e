package dev.yuanjian.bench.privacy;

import dev.yuanjian.privacy.rules.Rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.EntityType;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RuleCasesTest {
    private static final Set<EntityType> RULE_TYPES = EnumSet.range(EntityType.CN_RESIDENT_ID, EntityType.SECRET);

    @Test
    void coversEveryRuleTypeInBothLanguagesWithHardNegatives() {
        List<LabelledText> cases = new RuleCases().cases(new SplittableRandom(1), 6000);
        assertThat(cases).hasSize(6000);
        Set<EntityType> seen = EnumSet.noneOf(EntityType.class);
        Set<String> languages = new HashSet<>();
        int negatives = 0;
        for (LabelledText c : cases) {
            languages.add(c.language());
            negatives += c.expected().isEmpty() ? 1 : 0;
            for (LabelledText.Expected e : c.expected()) {
                seen.add(e.type());
                assertThat(e.end()).isGreaterThan(e.start()).isLessThanOrEqualTo(c.text().length());
            }
        }
        assertThat(seen).isEqualTo(RULE_TYPES);
        assertThat(languages).containsExactlyInAnyOrder("zh", "en");
        assertThat(negatives).isGreaterThan(1000);
    }

    @Test
    void sameSeedSameCases() {
        assertThat(new RuleCases().cases(new SplittableRandom(5), 300)).isEqualTo(new RuleCases().cases(new SplittableRandom(5), 300));
    }

    @Test
    void generatedCheckCharactersFollowTheStandardsExamples() {
        assertThat(Values.idCheck("11010519491231002")).isEqualTo('X');
        assertThat(Values.idCheck("44052418800101001")).isEqualTo('4');
        assertThat(Values.creditCheck("91110000600037341")).isEqualTo('L');
        assertThat(Values.luhn("411111111111111")).isEqualTo("4111111111111111");
    }

    /** A regression guard on the targets for the types the set labels exactly. */
    @Test
    void theRuleLayerMeetsTheQualityTargetsOnTheSet() {
        List<LabelledText> cases = new RuleCases().cases(new SplittableRandom(3), 6000);
        Analyzer analyzer = new Analyzer(Rules.all());
        int expected = 0;
        int found = 0;
        int correct = 0;
        for (LabelledText c : cases) {
            Set<LabelledText.Expected> labels = new HashSet<>(c.expected());
            expected += labels.size();
            for (var e : analyzer.analyze(c.text())) {
                found++;
                correct += labels.contains(new LabelledText.Expected(e.type(), e.start(), e.end())) ? 1 : 0;
            }
        }
        assertThat((double) correct / expected).as("recall").isGreaterThanOrEqualTo(0.99);
        assertThat((double) correct / found).as("precision").isGreaterThanOrEqualTo(0.99);
    }
}
