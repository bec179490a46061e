package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The normal form of a value, so that one person's value is one subject however it was written:
 * folded as recognizers read it ({@link NormalizedText}: full-width digits, zero-width characters),
 * without spaces, dashes and brackets, upper-case; a mobile number also without its {@code +86},
 * {@code 0086} or {@code 86} prefix.
 */
final class Subjects {
    private Subjects() {
    }

    static String normalise(EntityType type, String value) {
        String folded = NormalizedText.of(value).text();
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (!Character.isWhitespace(c) && c != '-' && c != '(' && c != ')') {
                out.append(c);
            }
        }
        String s = out.toString().toUpperCase(Locale.ROOT);
        if (type == EntityType.CN_MOBILE) {
            for (String prefix : new String[] {"+86", "0086", "86"}) {
                if (s.startsWith(prefix) && s.length() == prefix.length() + 11) {
                    return s.substring(prefix.length());
                }
            }
        }
        return s;
    }

    /** The normal forms {@code value} has as {@code type}, or as any type when none is given. */
    static Set<String> forms(String value, Optional<EntityType> type) {
        Set<String> forms = new LinkedHashSet<>();
        if (type.isPresent()) {
            forms.add(normalise(type.get(), value));
        } else {
            for (EntityType t : EntityType.values()) {
                forms.add(normalise(t, value));
            }
        }
        return forms;
    }
}
