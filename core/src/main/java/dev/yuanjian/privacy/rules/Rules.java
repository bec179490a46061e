package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Recognizer;
import java.time.Clock;
import java.util.List;

/** The rule recognizers, one per kind of structured personal data. */
public final class Rules {
    private Rules() {
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
