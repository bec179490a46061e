package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResidentIdRecognizerTest {
    private final ResidentIdRecognizer recognizer = new ResidentIdRecognizer(Find.CLOCK);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            身份证号11010519491231002X。 => 11010519491231002X
            id 11010519491231002x, born 1949 => 11010519491231002x
            440524188001010014 => 440524188001010014
            号码：320106199003071234 => 320106199003071234
            spaced 320106 19900307 1234 ok => 320106 19900307 1234
            dashed 320106-19900307-1234 ok => 320106-19900307-1234
            full-width \uFF13\uFF12\uFF10\uFF11\uFF10\uFF16\uFF11\uFF19\uFF19\uFF10\uFF10\uFF13\uFF10\uFF17\uFF11\uFF12\uFF13\uFF14 => \uFF13\uFF12\uFF10\uFF11\uFF10\uFF16\uFF11\uFF19\uFF19\uFF10\uFF10\uFF13\uFF10\uFF17\uFF11\uFF12\uFF13\uFF14
            zero-width 3201061990\u200B03071234 inside => 3201061990\u200B03071234
            leap day 440301202402290013 => 440301202402290013
            wrong check 320106199003071235 =>
            wrong check letter 11010519491231002Y =>
            born in the future 110105202701010019 =>
            not a day 110105190002290017 =>
            no such province 91010519900101001X =>
            inside a longer run 3201061990030712345 =>
            after a digit string 9320106199003071234 =>
            glued to letters ID320106199003071234 =>
            decimal 0.320106199003071234 =>
            two: 11010519491231002X,440524188001010014 => 11010519491231002X ; 440524188001010014
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }

    @Test
    void checkCharacterFollowsTheStandard() {
        // GB 11643-1999's own example and the mod 11-2 map: every check character but the right one fails.
        for (char c : "0123456789X".toCharArray()) {
            assertThat(ResidentIdRecognizer.valid("1101051949123100" + "2" + c, Find.CLOCK.instant().atZone(Find.CLOCK.getZone()).toLocalDate()))
                    .as("check %s", c).isEqualTo(c == 'X');
        }
    }

    @Test
    void atTheEdgesOfTheTextAndScoredOne() {
        var found = Find.entities(recognizer, "11010519491231002X");
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.start()).isZero();
            assertThat(e.end()).isEqualTo(18);
            assertThat(e.score()).isEqualTo(1.0);
            assertThat(e.type()).isEqualTo(EntityType.CN_RESIDENT_ID);
        });
    }
}
