package dev.yuanjian.privacy;

import java.util.Locale;

/**
 * What is done to one recognized value (Presidio calls these anonymizer operators). Each is a
 * record; {@link Operators} applies them. Config spelling ({@link #parse}): {@code replace},
 * {@code mask} or {@code mask:FIRST:LAST}, {@code hash}, {@code encrypt}, {@code drop}, {@code keep}.
 */
public sealed interface Operator {

    /** The typed placeholder of the conversation ({@code [PHONE_1]}); reversible through the placeholder map. */
    record Replace() implements Operator {
    }

    /**
     * Keeps the first {@code keepFirst} and last {@code keepLast} characters (code points) and writes
     * {@code *} for each other one: {@code 138****5678} (3, 4), {@code 张*} (1, 0). At least one
     * character is always masked: on a value too short for both, the kept ends shrink (last first).
     */
    record Mask(int keepFirst, int keepLast) implements Operator {
        public Mask {
            if (keepFirst < 0 || keepLast < 0) {
                throw new IllegalArgumentException("mask keeps a non-negative number of characters, got "
                        + keepFirst + ":" + keepLast);
            }
        }
    }

    /** The {@link Mask} usual for the value's type ({@link Operators#typicalMask}): {@code mask} in config. */
    record TypicalMask() implements Operator {
    }

    /**
     * A keyed HMAC-SHA256 of the type and the value: {@code <PHONE:hmac:0123456789abcdef>}, the first
     * 8 bytes in hex. Stable for a key, so the same value gives the same token across texts and
     * conversations (joins without the value); not reversible. The key is the data directory's.
     */
    record Hash() implements Operator {
    }

    /**
     * AES-256-GCM with the data directory's key: {@code <PHONE:aes:BASE64URL>}, the base64url (no
     * padding) of a random 12-byte nonce followed by the ciphertext and its 16-byte tag; the tag is
     * bound to the type. Reversible by whoever has the key ({@link Operators#decrypt}).
     */
    record Encrypt() implements Operator {
    }

    /** Removes the value, leaving nothing in its place. */
    record Drop() implements Operator {
    }

    /** Leaves the value as it is. */
    record Keep() implements Operator {
    }

    /**
     * The operator {@code spec} names (case-insensitive): {@code replace}, {@code mask} (the type's
     * usual mask, {@link TypicalMask}), {@code mask:3:4}, {@code hash}, {@code encrypt},
     * {@code drop}, {@code keep}.
     *
     * @throws IllegalArgumentException naming the spec and the accepted ones
     */
    static Operator parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("mask:")) {
            String[] parts = s.split(":", -1);
            try {
                if (parts.length == 3) {
                    return new Mask(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("'" + spec + "' is not mask:FIRST:LAST with two numbers (e.g. mask:3:4)");
        }
        return switch (s) {
            case "replace" -> new Replace();
            case "mask" -> new TypicalMask();
            case "hash" -> new Hash();
            case "encrypt" -> new Encrypt();
            case "drop" -> new Drop();
            case "keep" -> new Keep();
            default -> throw new IllegalArgumentException("unknown operator '" + spec
                    + "' (operators: replace, mask, mask:FIRST:LAST, hash, encrypt, drop, keep)");
        };
    }
}
