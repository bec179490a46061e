package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * E-mail addresses around each {@code @}: a local part of at most 64 of {@code A-Z a-z 0-9 . _ % + -}
 * (RFC 5321 4.5.3.1.1; quoted local parts are not covered) and a domain of at most 253 characters of
 * dot-separated labels (1-63 letters, digits, inner dashes) ending in a top-level domain of two or
 * more letters. Scores 1.0. The work per {@code @} is bounded by those lengths.
 */
final class EmailRecognizer implements Recognizer {
    static final String NAME = "email";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.EMAIL_ADDRESS);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        int n = s.length();
        for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
            int from = at;
            while (from > 0 && at - from < 64 && local(s.charAt(from - 1))) {
                from--;
            }
            if (from > 0 && local(s.charAt(from - 1))) {
                continue;
            }
            while (from < at && s.charAt(from) == '.') {
                from++;
            }
            int to = at + 1;
            while (to < n && to - at <= 254 && domain(s.charAt(to))) {
                to++;
            }
            if (to < n && domain(s.charAt(to))) {
                continue;
            }
            while (to > at + 1 && (s.charAt(to - 1) == '.' || s.charAt(to - 1) == '-')) {
                to--;
            }
            if (from < at && s.charAt(at - 1) != '.' && validDomain(s, at + 1, to)) {
                found.add(new Entity(EntityType.EMAIL_ADDRESS, from, to, 1.0, NAME));
            }
        }
    }

    private static boolean local(char c) {
        return Chars.alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean domain(char c) {
        return Chars.alnum(c) || c == '.' || c == '-';
    }

    /** Labels of 1-63 characters, not starting or ending with a dash; at least two; a letters-only TLD of 2+. */
    static boolean validDomain(String s, int from, int to) {
        if (to - from > 253 || to <= from) {
            return false;
        }
        int labels = 0;
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            if (i < to && s.charAt(i) != '.') {
                continue;
            }
            int len = i - labelStart;
            if (len == 0 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                return false;
            }
            labels++;
            if (i == to) {
                if (len < 2) {
                    return false;
                }
                for (int k = labelStart; k < to; k++) {
                    if (!Chars.letter(s.charAt(k))) {
                        return false;
                    }
                }
            }
            labelStart = i + 1;
        }
        return labels >= 2;
    }
}
