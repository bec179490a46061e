package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholderTest {

    @Test
    void spellsAndParsesEveryType() {
        for (EntityType t : EntityType.values()) {
            Placeholder p = new Placeholder(t, 12);
            assertThat(Placeholder.parse(p.toString())).contains(p);
            assertThat(p.toString().length()).isLessThanOrEqualTo(Placeholder.MAX_LENGTH);
        }
        assertThat(new Placeholder(EntityType.PERSON, Integer.MAX_VALUE).toString().length())
                .isLessThanOrEqualTo(Placeholder.MAX_LENGTH);
    }

    @Test
    void refusesNearMisses() {
        for (String s : List.of("[PERSON_0]", "[PERSON_01]", "[PERSON_]", "[PERSON]", "[person_1]", "[NOBODY_1]",
                "[PERSON_1", "PERSON_1]", "[PERSON_99999999999]", "[PERSON_1 ]", "[ PERSON_1]", "[]", "[_1]",
                "[PERSON_-1]", "[PERSON_１]")) {
            assertThat(Placeholder.parse(s)).as(s).isEmpty();
        }
    }

    @Test
    void findsPlaceholdersAmongBrackets() {
        String text = "[[PERSON_1]] met [PHONE_2][x](http://a) [ORG_3 [EMAIL_4]";
        assertThat(Placeholders.find(text)).extracting(f -> text.substring(f.start(), f.end()))
                .containsExactly("[PERSON_1]", "[PHONE_2]", "[EMAIL_4]");
    }

    @Test
    void findingIsLinearOnBracketFloods() {
        String flood = "[".repeat(2_000_000) + "[PERSON_1]";
        assertThat(Placeholders.in(flood)).containsExactly(new Placeholder(EntityType.PERSON, 1));
    }
}
