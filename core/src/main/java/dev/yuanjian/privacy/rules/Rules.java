package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Recognizer;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/** The rule recognizers, one per kind of structured personal data. */
public final class Rules {
    private Rules() {
    }

    /** Birth dates on resident IDs are mainland dates. */
    private static final ZoneId MAINLAND = ZoneId.of("Asia/Shanghai");

    /**
     * The rule layer as Yuanjian ships it: resident ID, credit code, mobile, landline, payment cards,
     * passports, plates, e-mail, IP addresses, URLs with credentials, secrets; today is the mainland's.
     */
    public static List<Recognizer> all() {
        return all(Clock.system(MAINLAND));
    }

    /**
     * Every rule recognizer, in the order the analyzer runs them; {@code clock} says what today is
     * (a resident ID's birth date may not be after it).
     */
    public static List<Recognizer> all(Clock clock) {
        return List.of(new ResidentIdRecognizer(clock), new CreditCodeRecognizer(), new MobileRecognizer(),
                new LandlineRecognizer(), new PaymentCardRecognizer(), new PassportRecognizer(), new PlateRecognizer(),
                new EmailRecognizer(), new IpRecognizer(), new CredentialUrlRecognizer(), new SecretRecognizer());
    }
}
