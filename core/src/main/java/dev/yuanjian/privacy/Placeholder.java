package dev.yuanjian.privacy;

import java.util.Optional;

/**
 * A typed, numbered stand-in for one original value: {@code [PERSON_1]}, {@code [PHONE_2]}. The
 * syntax is {@code [} tag {@code _} number {@code ]}, the tag being an {@link EntityType#tag()} and
 * the number a positive decimal without leading zeros. Placeholders are literals: restoring looks
 * them up exactly and never reads them as patterns.
 *
 * @param type   the kind of the value it stands for
 * @param number 1, 2, ... in the order a conversation first met the values of that kind
 */
public record Placeholder(EntityType type, int number) {
    /** The longest text a placeholder can be, in UTF-16 units (bracket, tag, underscore, 10 digits, bracket). */
    public static final int MAX_LENGTH;

    static {
        int tag = 0;
        for (EntityType t : EntityType.values()) {
            tag = Math.max(tag, t.tag().length());
        }
        MAX_LENGTH = 1 + tag + 1 + 10 + 1;
    }

    public Placeholder {
        if (number < 1) {
            throw new IllegalArgumentException("placeholder numbers start at 1: " + number);
        }
    }

    @Override
    public String toString() {
        return "[" + type.tag() + "_" + number + "]";
    }

    /** The placeholder {@code text} spells exactly, or empty. */
    public static Optional<Placeholder> parse(String text) {
        int n = text.length();
        if (n < 4 || text.charAt(0) != '[' || text.charAt(n - 1) != ']') {
            return Optional.empty();
        }
        int underscore = text.lastIndexOf('_', n - 2);
        if (underscore < 2) {
            return Optional.empty();
        }
        String tag = text.substring(1, underscore);
        String digits = text.substring(underscore + 1, n - 1);
        if (digits.isEmpty() || digits.length() > 10 || digits.charAt(0) == '0') {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        long number = Long.parseLong(digits);
        if (number > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        for (EntityType t : EntityType.values()) {
            if (t.tag().equals(tag)) {
                return Optional.of(new Placeholder(t, (int) number));
            }
        }
        return Optional.empty();
    }
}
