package dev.yuanjian.label;

import dev.yuanjian.mark.Claim.Role;
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
 * This service's integrity data in a GB 45438 label: {@code ReservedCode1} when it produced the
 * content, {@code ReservedCode2} when it propagated it. A compact ASCII Ed25519 signature binding
 * the label's fields, the content and the log entry:
 *
 * <pre>YJ2.&lt;key id: 8 hex&gt;.&lt;log index: 16 hex&gt;.&lt;signature: 86 base64url&gt;</pre>
 *
 * <p>The producer's signature covers {@code "yuanjian-seal/v2\nproducer\n" Label "\n" ContentProducer
 * "\n" ProduceID "\n" index "\n" hex(digest) "\n"}, where the digest is the producer's digest of the
 * file ({@link dev.yuanjian.mark.Binding#PRODUCER}: everything but the label's integrity data and
 * the propagator's fields). The propagator's covers {@code "yuanjian-seal/v2\npropagator\n"} and
 * then Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, the index
 * and its digest (everything but {@code ReservedCode2}). The fields are signed as well as hashed,
 * so a label kept beside the content (a plain text's sidecar, the gateway's {@code aigc} object) is
 * bound exactly as an embedded one. Every seal has {@link #LENGTH} characters.
 *
 * <p>{@code YJ1} seals (before the propagator's fields were left out of the producer's digest) are
 * recognised by {@link #isEarlierFormat} and reported as not checkable, never as forged.
 */
public record Seal(String keyId, long logIndex, byte[] signature) {

    public static final int LENGTH = 116;
    private static final Pattern FORMAT = Pattern.compile("YJ2\\.([0-9a-f]{8})\\.([0-9a-f]{16})\\.([A-Za-z0-9_-]{86})");
    private static final Pattern EARLIER = Pattern.compile("YJ1\\.[0-9a-f]{8}\\.[0-9a-f]{16}\\.[A-Za-z0-9_-]{86}");

    /** A value of the seal's length that can never verify, written before the real seal is known. */
    public static final String PLACEHOLDER = "YJ2." + "0".repeat(8) + "." + "0".repeat(16) + "." + "A".repeat(86);

    public Seal {
        if (signature.length != 64) {
            throw new IllegalArgumentException("an Ed25519 signature has 64 bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code label}'s fields for {@code role} with the log entry and the digest. */
    public static Seal sign(SigningKey key, Role role, AigcLabel label, long logIndex, byte[] digest) {
        return new Seal(keyId(key.publicKey()), logIndex, key.sign(message(role, label, logIndex, digest)));
    }

    /** True when this seal was made by {@code publicKey} over {@code label}'s fields for {@code role} and {@code digest}. */
    public boolean verifies(byte[] publicKey, Role role, AigcLabel label, byte[] digest) {
        return keyId.equals(keyId(publicKey))
                && SigningKey.verify(publicKey, message(role, label, logIndex, digest), signature);
    }

    public String encode() {
        return "YJ2." + keyId + "." + HexFormat.of().toHexDigits(logIndex) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** The seal in a label's integrity field, or empty when it holds something else (another party's data). */
    public static Optional<Seal> parse(String value) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        long index = Long.parseUnsignedLong(m.group(2), 16);
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.of(new Seal(m.group(1), index, Base64.getUrlDecoder().decode(m.group(3))));
    }

    /** True for a seal of this service's earlier format (YJ1), which this version cannot check. */
    public static boolean isEarlierFormat(String value) {
        return EARLIER.matcher(value).matches();
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

    private static byte[] message(Role role, AigcLabel label, long logIndex, byte[] digest) {
        StringBuilder text = new StringBuilder("yuanjian-seal/v2\n");
        text.append(role == Role.PRODUCER ? "producer" : "propagator").append('\n');
        text.append(label.label()).append('\n').append(label.contentProducer()).append('\n').append(label.produceId()).append('\n');
        if (role == Role.PROPAGATOR) {
            text.append(label.reservedCode1()).append('\n').append(label.contentPropagator()).append('\n')
                    .append(label.propagateId()).append('\n');
        }
        text.append(logIndex).append('\n').append(HexFormat.of().formatHex(digest)).append('\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
