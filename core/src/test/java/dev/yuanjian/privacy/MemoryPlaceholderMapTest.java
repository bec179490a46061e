package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.rules.Rules;
import org.junit.jupiter.api.Test;

/** One person's value is one placeholder however it is spelled, as in the vault (the attack: three spellings, three placeholders). */
class MemoryPlaceholderMapTest {

    @Test
    void oneValueSpelledThreeWaysIsOnePlaceholderRestoringTheFirstSpelling() {
        MemoryPlaceholderMap map = new MemoryPlaceholderMap();
        Placeholder p = map.placeholderFor(EntityType.CN_MOBILE, "13912340000");
        assertThat(map.placeholderFor(EntityType.CN_MOBILE, "139-1234-0000")).isEqualTo(p);
        assertThat(map.placeholderFor(EntityType.CN_MOBILE, "1\u200b3912340000")).isEqualTo(p);
        assertThat(map.placeholderFor(EntityType.CN_MOBILE, "+86 139 1234 0000")).isEqualTo(p);
        assertThat(map.placeholderFor(EntityType.CN_MOBILE, "１３９１２３４００００")).as("full-width digits").isEqualTo(p);
        assertThat(map.placeholderFor(EntityType.CN_MOBILE, "13912340001")).hasToString("[PHONE_2]");
        assertThat(map.placeholderFor(EntityType.EMAIL_ADDRESS, "Li@Example.com"))
                .isEqualTo(map.placeholderFor(EntityType.EMAIL_ADDRESS, "li@example.com"));
        assertThat(map.originalOf(p)).contains("13912340000");
    }

    @Test
    void maskingATextGivesEverySpellingOfOnePhoneOnePlaceholder() {
        Pseudonymizer pseudonymizer = new Pseudonymizer(new Analyzer(Rules.all()));
        String text = "打 13912340000，或 139-1234-0000，或 1\u200b3912340000";
        Pseudonymizer.Masked masked = pseudonymizer.mask(text, new MemoryPlaceholderMap());
        assertThat(masked.entities()).hasSize(3);
        assertThat(masked.text()).isEqualTo("打 [PHONE_1]，或 [PHONE_1]，或 [PHONE_1]");
    }
}
