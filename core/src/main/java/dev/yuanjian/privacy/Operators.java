package dev.yuanjian.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies {@link Operator}s with the keys of one installation: a 32-byte secret (the data
 * directory's {@code keys/privacy.key}) from which the HMAC key of {@link Operator.Hash} and the
 * AES-256 key of {@link Operator.Encrypt} are derived (HMAC-SHA256 of the secret over the labels
 * {@code "yuanjian pii hash"} and {@code "yuanjian pii encrypt"}), so neither key serves both uses.
 * Thread-safe.
 */
public final class Operators {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec hashKey;
    private final SecretKeySpec encryptKey;
    private final SecureRandom random = new SecureRandom();

    /** @param secret 32 random bytes; copied */
    public Operators(byte[] secret) {
        if (secret.length != 32) {
            throw new IllegalArgumentException("the privacy key has 32 bytes, got " + secret.length);
        }
        this.hashKey = new SecretKeySpec(Crypto.derive(secret, "yuanjian pii hash"), "HmacSHA256");
        this.encryptKey = new SecretKeySpec(Crypto.derive(secret, "yuanjian pii encrypt"), "AES");
    }

    private Operators() {
        this.hashKey = null;
        this.encryptKey = null;
    }

    /** Operators without keys: {@link Operator.Hash} and {@link Operator.Encrypt} throw {@link IllegalStateException}. */
    public static Operators withoutKeys() {
        return new Operators();
    }

    private void needKeys(Operator op) {
        if (hashKey == null) {
            throw new IllegalStateException(op.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " needs the installation's privacy key (keys/privacy.key)");
        }
    }

    /**
     * What {@code original}, a value of kind {@code type}, becomes under {@code op}: a placeholder
     * from {@code map}, a mask, a token, the empty string (drop) or itself (keep).
     */
    public String apply(Operator op, EntityType type, String original, PlaceholderMap map) {
        return switch (op) {
            case Operator.Replace r -> map.placeholderFor(type, original).toString();
            case Operator.Mask m -> mask(original, m);
            case Operator.TypicalMask t -> type == EntityType.EMAIL_ADDRESS ? maskEmail(original)
                    : mask(original, typicalMask(type));
            case Operator.Hash h -> "<" + type.tag() + ":hmac:" + hash(type, original) + ">";
            case Operator.Encrypt e -> "<" + type.tag() + ":aes:" + encrypt(type, original) + ">";
            case Operator.Drop d -> "";
            case Operator.Keep k -> original;
        };
    }

    /**
     * The usual mask of a kind: phones keep 3 and 4 ({@code 138****5678}), resident IDs, bank and
     * credit cards 6 and 4, passports and plates 2 and 2, names, places and organisations their first
     * character ({@code 张*}); every other kind is masked whole. E-mail addresses keep their first
     * character and the domain ({@code z***@example.com}).
     */
    public static Operator.Mask typicalMask(EntityType type) {
        return switch (type) {
            case CN_MOBILE, CN_LANDLINE -> new Operator.Mask(3, 4);
            case CN_RESIDENT_ID, CN_BANK_CARD, CREDIT_CARD -> new Operator.Mask(6, 4);
            case CN_PASSPORT, CN_LICENSE_PLATE -> new Operator.Mask(2, 2);
            case PERSON, LOCATION, ORGANIZATION, EMAIL_ADDRESS -> new Operator.Mask(1, 0);
            default -> new Operator.Mask(0, 0);
        };
    }

    /** {@code value} with every code point but the kept ends replaced by {@code *}; see {@link Operator.Mask}. */
    static String mask(String value, Operator.Mask m) {
        int n = value.codePointCount(0, value.length());
        int first = m.keepFirst();
        int last = m.keepLast();
        while (first + last >= n && (first > 0 || last > 0)) {
            if (last > 0) {
                last--;
            } else {
                first--;
            }
        }
        int from = value.offsetByCodePoints(0, first);
        int to = value.offsetByCodePoints(value.length(), -last);
        return value.substring(0, from) + "*".repeat(n - first - last) + value.substring(to);
    }

    private static String maskEmail(String value) {
        int at = value.lastIndexOf('@');
        return at <= 0 ? mask(value, new Operator.Mask(1, 0)) : mask(value.substring(0, at), new Operator.Mask(1, 0))
                + value.substring(at);
    }

    /** The first 8 bytes, in hex, of HMAC-SHA256(hash key, tag NUL value). */
    String hash(EntityType type, String value) {
        needKeys(new Operator.Hash());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            mac.update((type.tag() + "\0").getBytes(StandardCharsets.UTF_8));
            byte[] full = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(full, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private String encrypt(EntityType type, String value) {
        needKeys(new Operator.Encrypt());
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(type.tag().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The original inside a token {@link Operator.Encrypt} made with this key
     * ({@code <PHONE:aes:...>}), or empty when {@code token} is not one, was made with another key,
     * or was altered (the GCM tag, bound to the type, does not check).
     */
    public Optional<String> decrypt(String token) {
        needKeys(new Operator.Encrypt());
        if (!token.startsWith("<") || !token.endsWith(">")) {
            return Optional.empty();
        }
        String[] parts = token.substring(1, token.length() - 1).split(":", -1);
        if (parts.length != 3 || !parts[1].equals("aes")) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(parts[2]);
            if (bytes.length < NONCE + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptKey, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE));
            cipher.updateAAD(parts[0].getBytes(StandardCharsets.US_ASCII));
            return Optional.of(new String(cipher.doFinal(bytes, NONCE, bytes.length - NONCE), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
