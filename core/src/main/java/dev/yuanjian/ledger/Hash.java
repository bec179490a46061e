package dev.yuanjian.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 hash identifying a log record, a tree node or a tree root. Immutable: the 32 bytes are
 * copied in and copied out, so a {@code Hash} can be shared and used as a map key.
 */
public final class Hash {
    /** The size of a hash in bytes. */
    public static final int SIZE = 32;

    /** All zero bytes: what Go's {@code tlog.TreeHash} returns for the empty tree. */
    public static final Hash ZERO = new Hash(new byte[SIZE]);

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}, which must be exactly {@link #SIZE} long. */
    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("a hash has " + SIZE + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new Hash(bytes.clone());
    }

    /** The hash held in {@code data[offset..offset+32)}. */
    public static Hash of(byte[] data, int offset) {
        return new Hash(Arrays.copyOfRange(data, offset, offset + SIZE));
    }

    /** SHA-256 of {@code data}: for the empty tree, RFC 6962 defines the root as {@code sha256("")}. */
    public static Hash sha256(byte[] data) {
        return new Hash(sha256Digest().digest(data));
    }

    /** Parses the standard base64 form that {@link #toString()} writes; rejects anything else. */
    public static Hash parse(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed hash: not base64", e);
        }
        if (decoded.length != SIZE || !Base64.getEncoder().encodeToString(decoded).equals(base64)) {
            throw new IllegalArgumentException("malformed hash: " + base64);
        }
        return new Hash(decoded);
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the 32 bytes into {@code out} at {@code offset}, without allocating. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, SIZE);
    }

    /** Feeds the 32 bytes to {@code digest}, without allocating. */
    void updateDigest(MessageDigest digest) {
        digest.update(bytes);
    }

    /** Whether {@code other} holds exactly these 32 bytes; false for null or another length. */
    boolean matches(byte[] other) {
        return other != null && MessageDigest.isEqual(bytes, other);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Standard base64 with padding, as in checkpoints and Go's {@code tlog.Hash.String}. */
    @Override
    public String toString() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash hash && MessageDigest.isEqual(bytes, hash.bytes);
    }

    @Override
    public int hashCode() {
        // The bytes are uniformly distributed already.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
