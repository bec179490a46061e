package dev.yuanjian.bench.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.names.EnglishNameRecognizer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NameCasesTest {
    private final NameCases source = new NameCases(new EnglishNameRecognizer().gazetteer());

    @Test
    void everyLabelPointsAtTextOfItsKindAndTheSetIsReproducible() {
        List<LabelledText> cases = source.cases(new SplittableRandom(11), 2_000);
        assertThat(cases).hasSize(2_000).isEqualTo(source.cases(new SplittableRandom(11), 2_000));
        for (LabelledText c : cases) {
            for (LabelledText.Expected e : c.expected()) {
                String value = c.text().substring(e.start(), e.end());
                assertThat(value).isNotBlank().doesNotContain("{", "}");
                if (c.language().equals("zh") && e.type() == EntityType.PERSON) {
                    assertThat(value.length()).isBetween(2, 4);
                }
            }
        }
        assertThat(cases.stream().filter(c -> c.expected().isEmpty()).count()).isGreaterThan(400);
    }

    @Test
    void mostEnglishNamesAreOutsideTheGazetteerAndChineseNamesAreMostlyNew() {
        List<LabelledText> cases = source.cases(new SplittableRandom(7), 2_000);
        long unlisted = cases.stream().filter(c -> c.template().endsWith("/unlisted")).count();
        long listed = cases.stream().filter(c -> c.template().endsWith("/listed")).count();
        assertThat(unlisted).isGreaterThan(listed);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            names.add(NameCases.chineseName(new SplittableRandom(i)));
        }
        assertThat(names.size()).isGreaterThan(900);
    }
}
