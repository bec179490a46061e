package dev.yuanjian.watermark;

import java.math.BigInteger;

/**
 * The 64 bits a watermark carries: bits 6 to 69 of the content id read as a 128-bit ULID, that is
 * the 42 low bits of its millisecond time (enough until the year 2109) followed by its first 22
 * random bits. They name one log entry among those made in the same millisecond with a chance of
 * 1 in 4,194,304 of sharing them, and say when it was made even where the log cannot be reached.
 *
 * <p>The content ids carrying a given payload are exactly one interval of ids in their sorted
 * (Crockford base32) order, {@link #contentIdsFrom()} inclusive to {@link #contentIdsTo()}
 * exclusive, which is how the log finds them.
 *
 * @param bits the 64 bits, most significant first
 */
public record Payload(long bits) {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /**
     * The payload naming {@code contentId}.
     *
     * @throws IllegalArgumentException when {@code contentId} is not 26 characters of Crockford base32
     */
    public static Payload of(String contentId) {
        BigInteger ulid = decode(contentId);
        return new Payload(ulid.shiftRight(58).longValue());
    }

    /** The smallest content id carrying this payload. */
    public String contentIdsFrom() {
        return encode(first(bits));
    }

    /** The content id just past the last one carrying this payload (exclusive bound). */
    public String contentIdsTo() {
        // bits 0-5 of the id are zero (times before 2109), so even the last payload's bound is an id
        return encode(first(bits).add(BigInteger.ONE.shiftLeft(58)));
    }

    /** True when {@code contentId} carries this payload. */
    public boolean names(String contentId) {
        try {
            return of(contentId).bits == bits;
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }

    /** The millisecond time the payload keeps (the content id's time modulo 2^42). */
    public long millis() {
        return bits >>> 22;
    }

    @Override
    public String toString() {
        return String.format("%016x", bits);
    }

    private static BigInteger first(long bits) {
        return new BigInteger(Long.toUnsignedString(bits)).shiftLeft(58);
    }

    private static BigInteger decode(String id) {
        if (id == null || id.length() != 26) {
            throw new IllegalArgumentException("a content id has 26 characters");
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < 26; i++) {
            int digit = ALPHABET.indexOf(id.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("'" + id.charAt(i) + "' is not a Crockford base32 digit");
            }
            value = value.shiftLeft(5).or(BigInteger.valueOf(digit));
        }
        if (value.bitLength() > 128) {
            throw new IllegalArgumentException("a content id holds 128 bits; this one's first digit is too large");
        }
        return value;
    }

    private static String encode(BigInteger value) {
        char[] id = new char[26];
        for (int i = 25; i >= 0; i--) {
            id[i] = ALPHABET.charAt(value.intValue() & 31);
            value = value.shiftRight(5);
        }
        return new String(id);
    }
}
