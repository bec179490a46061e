package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * Passport numbers (forms from secondary sources; the issuing authorities publish no checksum):
 * mainland {@code E} + 8 digits, {@code E} + a letter other than I and O + 7 digits (from 2017),
 * {@code G} + 8 digits (older); Hong Kong {@code K} + 8 digits; Macau {@code MA} + 7 digits. These
 * shapes are also order, ticket and part numbers ({@code E12345678}), so a passport is reported only
 * near a context word; it then scores 0.9.
 */
final class PassportRecognizer implements Recognizer {
    static final String NAME = "cn-passport";
    private static final Context CONTEXT = Context.of("护照", "passport", "旅行证件", "travel document");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.CN_PASSPORT);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        Tokens.scan(text, 9, 9, (start, end) -> {
            if (shape(s, start) && CONTEXT.near(s, start, end)) {
                found.add(new Entity(EntityType.CN_PASSPORT, start, end, 0.9, NAME));
            }
        });
    }

    /** True when the 9 characters at {@code at} have one of the passport forms. */
    static boolean shape(String s, int at) {
        char first = s.charAt(at);
        char second = s.charAt(at + 1);
        if (first == 'E' && Chars.upper(second) && second != 'I' && second != 'O'
                || first == 'M' && second == 'A') {
            return Chars.digits(s, at + 2, at + 9);
        }
        return (first == 'E' || first == 'G' || first == 'K') && Chars.digits(s, at + 1, at + 9);
    }
}
