package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Mainland resident ID, 18 characters (GB 11643-1999): a province-level region code (GB/T 2260),
 * a birth date that is a real calendar day not after today, a sequence number and the mod 11-2
 * check character ({@code X} for 10). Spaces or dashes between groups are allowed. All three checks
 * passing scores 1.0; nothing else is reported. The 15-digit IDs issued before 1999 are left out: they
 * have no check digit, so a 15-digit order number with a plausible date would pass.
 */
final class ResidentIdRecognizer implements Recognizer {
    static final String NAME = "cn-resident-id";
    private final Clock clock;

    /** {@code clock} says what today is, for "not born in the future". */
    ResidentIdRecognizer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_RESIDENT_ID);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        LocalDate today = LocalDate.now(clock);
        StringBuilder d = new StringBuilder(20);
        DigitRuns.scan(text, (start, end, count) -> {
            for (int i = 0; i < count; i++) {
                d.setLength(0);
                for (int j = i; j < count && DigitRuns.append(s, start, end, j, 18, d); j++) {
                    if (d.length() == 18) {
                        if (valid(d, today)) {
                            found.add(new Entity(EntityType.CN_RESIDENT_ID, start[i], end[j], 1.0, NAME));
                            i = j;
                        }
                        break;
                    }
                }
            }
        });
    }

    static boolean valid(CharSequence d, LocalDate today) {
        return d.length() == 18 && Chars.digits(d, 0, 17) && Checks.province(d, 0) && Checks.birthDate(d, 6, today)
                && Character.toUpperCase(d.charAt(17)) == Checks.residentIdCheck(d);
    }
}
