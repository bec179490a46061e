package dev.yuanjian.verify;

import dev.yuanjian.store.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The producer's integrity data in {@code ReservedCode1}: a compact ASCII Ed25519 signature that
 * binds the label, the content and the log entry.
 *
 * <pre>YJ1.&lt;key id: 8 hex&gt;.&lt;log index: 16 hex&gt;.&lt;signature: 86 base64url&gt;</pre>
 *
 * <p>The signature covers {@code "yuanjian-seal/v1\n" producer "\n" produceId "\n" index(decimal)
 * "\n" hex(protected digest) "\n"}. The protected digest covers the whole file but the seal itself,
 * so the label's other fields are bound too. Every seal has the same length ({@link #LENGTH}), which
 * lets a codec swap a placeholder for the real seal without moving any other byte.
 */
public record Seal(String keyId, long logIndex, byte[] signature) {

    public static final int LENGTH = 116;
    private static final Pattern FORMAT = Pattern.compile("YJ1\\.([0-9a-f]{8})\\.([0-9a-f]{16})\\.([A-Za-z0-9_-]{86})");

    /** A value of the seal's length that can never verify, written before the real seal is known. */
    public static final String PLACEHOLDER = "YJ1." + "0".repeat(8) + "." + "0".repeat(16) + "." + "A".repeat(86);

    public Seal {
        if (signature.length != 64) {
            throw new IllegalArgumentException("an Ed25519 signature has 64 bytes");
        }
    }

    public static Seal sign(SigningKey key, String producer, String produceId, long logIndex, byte[] protectedDigest) {
        byte[] signature = key.sign(message(producer, produceId, logIndex, protectedDigest));
        return new Seal(keyId(key.publicKey()), logIndex, signature);
    }

    /** True when this seal was made by {@code publicKey} over exactly these values. */
    public boolean verifies(byte[] publicKey, String producer, String produceId, byte[] protectedDigest) {
        return keyId.equals(keyId(publicKey))
                && SigningKey.verify(publicKey, message(producer, produceId, logIndex, protectedDigest), signature);
    }

    public String encode() {
        return "YJ1." + keyId + "." + String.format("%016x", logIndex) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** The seal in {@code reservedCode1}, or empty when it holds something else (another producer's data). */
    public static Optional<Seal> parse(String reservedCode1) {
        Matcher m = FORMAT.matcher(reservedCode1);
        if (!m.matches()) {
            return Optional.empty();
        }
        long index = Long.parseUnsignedLong(m.group(2), 16);
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.of(new Seal(m.group(1), index, Base64.getUrlDecoder().decode(m.group(3))));
    }

    /** First 4 bytes of SHA-256 of the raw public key, as 8 hex digits. */
    public static String keyId(byte[] publicKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] message(String producer, String produceId, long logIndex, byte[] protectedDigest) {
        String text = "yuanjian-seal/v1\n" + producer + "\n" + produceId + "\n" + logIndex + "\n"
                + HexFormat.of().formatHex(protectedDigest) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
