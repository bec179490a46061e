package dev.yuanjian.privacy;

import dev.yuanjian.privacy.rules.Rules;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/** The recognizers Yuanjian ships, by layer; an {@link Analyzer} is built from one or more of these lists. */
public final class Recognizers {
    /** Birth dates on resident IDs are mainland dates. */
    private static final ZoneId MAINLAND = ZoneId.of("Asia/Shanghai");

    private Recognizers() {
    }

    /**
     * The rule layer: resident ID, credit code, mobile, landline, payment cards, passports, plates,
     * e-mail, IP addresses, URLs with credentials, secrets (package {@code dev.yuanjian.privacy.rules}).
     */
    public static List<Recognizer> rules() {
        return Rules.all(Clock.system(MAINLAND));
    }
}
