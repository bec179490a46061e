package dev.yuanjian.testing;

import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.NormalizedText;
import dev.yuanjian.privacy.Recognizer;
import java.util.List;
import java.util.Set;

/**
 * A small recognizer for gateway tests until the rule recognizers land: the names it is given, as
 * persons, and mainland mobile numbers (11 digits starting 1[3-9], not inside a longer run of digits).
 */
public final class KnownPeople implements Recognizer {
    private final List<String> names;

    public KnownPeople(String... names) {
        this.names = List.of(names);
    }

    @Override
    public String name() {
        return "test-known-people";
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.PERSON, EntityType.CN_MOBILE);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        String s = text.text();
        for (String name : names) {
            for (int at = s.indexOf(name); at >= 0; at = s.indexOf(name, at + name.length())) {
                found.add(new Entity(EntityType.PERSON, at, at + name.length(), 0.9, name()));
            }
        }
        for (int i = 0; i + 11 <= s.length(); i++) {
            if (s.charAt(i) == '1' && s.charAt(i + 1) >= '3' && s.charAt(i + 1) <= '9' && digits(s, i, i + 11)
                    && (i == 0 || !Character.isDigit(s.charAt(i - 1)))
                    && (i + 11 == s.length() || !Character.isDigit(s.charAt(i + 11)))) {
                found.add(new Entity(EntityType.CN_MOBILE, i, i + 11, 1.0, name()));
                i += 10;
            }
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
