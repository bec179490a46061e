package dev.yuanjian.pipeline;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Content ids ({@code ProduceID}): 26 characters of Crockford base32, the first 10 encoding the
 * millisecond time and the last 16 eighty random bits, so ids sort by creation time, are URL-safe
 * and need no coordination between processes (the ULID layout).
 */
public final class ContentIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final SecureRandom random;

    public ContentIds(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public String next() {
        long millis = clock.millis();
        char[] id = new char[26];
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        byte[] entropy = new byte[10];
        random.nextBytes(entropy);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (entropy[i] & 0xff);
            low = (low << 8) | (entropy[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            id[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(id);
    }

    /** True when {@code value} has the shape of a content id (it may still be unknown to the log). */
    public static boolean looksLikeId(String value) {
        if (value == null || value.length() != 26) {
            return false;
        }
        for (char ch : value.toCharArray()) {
            if (java.util.Arrays.binarySearch(ALPHABET, ch) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code value} with every character outside printable ASCII replaced by '_', as log records require. */
    static String safe(String value) {
        StringBuilder safe = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            safe.append(ch > 0x20 && ch < 0x7f ? ch : '_');
        }
        return safe.toString();
    }
}
