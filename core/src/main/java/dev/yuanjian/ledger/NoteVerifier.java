package dev.yuanjian.ledger;

import dev.yuanjian.store.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed-note public key (C2SP signed-note, Go's {@code sumdb/note}): a name, the 4-byte key
 * hash {@code SHA-256(name || "\n" || 0x01 || pubkey)[:4]}, and an Ed25519 public key. Its text
 * form, the verifier key, is {@code <name>+<8 hex digits of key hash>+<base64(0x01 || pubkey)>}.
 */
public final class NoteVerifier {
    /** The signed-note algorithm identifier of Ed25519. */
    static final byte ALG_ED25519 = 0x01;

    private final String name;
    private final int keyHash;
    private final byte[] publicKey;

    private NoteVerifier(String name, int keyHash, byte[] publicKey) {
        this.name = name;
        this.keyHash = keyHash;
        this.publicKey = publicKey;
    }

    /** The verifier for the raw 32-byte Ed25519 {@code publicKey} under {@code name}. */
    public static NoteVerifier ed25519(String name, byte[] publicKey) {
        requireValidName(name);
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + publicKey.length);
        }
        return new NoteVerifier(name, keyHash(name, encodedKey(publicKey)), publicKey.clone());
    }

    /**
     * Parses a verifier key {@code name+hash+base64}; checks that the hash matches the name and key.
     *
     * @throws IllegalArgumentException when the text is not a valid Ed25519 verifier key
     */
    public static NoteVerifier parse(String verifierKey) {
        String[] parts = verifierKey.split("\\+", 3);
        if (parts.length != 3 || !isValidName(parts[0]) || !parts[1].matches("[0-9a-fA-F]{8}")) {
            throw new IllegalArgumentException("malformed verifier key '" + verifierKey + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed verifier key: key is not base64", e);
        }
        if (key.length != 33 || key[0] != ALG_ED25519) {
            throw new IllegalArgumentException("verifier key is not an Ed25519 key (algorithm 1, 32 bytes)");
        }
        int hash = (int) Long.parseLong(parts[1], 16);
        if (hash != keyHash(parts[0], key)) {
            throw new IllegalArgumentException("verifier key hash does not match its name and key");
        }
        return new NoteVerifier(parts[0], hash, Arrays.copyOfRange(key, 1, 33));
    }

    /** The verifier of notes signed by {@code key} under {@code name}. */
    public static NoteVerifier of(String name, SigningKey key) {
        return ed25519(name, key.publicKey());
    }

    public String name() {
        return name;
    }

    public int keyHash() {
        return keyHash;
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The verifier key text, {@code name+hash+base64}, as Go's {@code note.NewVerifier} reads it. */
    public String encoded() {
        return name + "+" + HexFormat.of().toHexDigits(keyHash) + "+"
                + Base64.getEncoder().encodeToString(encodedKey(publicKey));
    }

    @Override
    public String toString() {
        return encoded();
    }

    /** Whether {@code signature} (64 bytes, without the key hash) signs {@code message} with this key. */
    public boolean verify(byte[] message, byte[] signature) {
        return SigningKey.verify(publicKey, message, signature);
    }

    static byte[] encodedKey(byte[] publicKey) {
        byte[] encoded = new byte[1 + publicKey.length];
        encoded[0] = ALG_ED25519;
        System.arraycopy(publicKey, 0, encoded, 1, publicKey.length);
        return encoded;
    }

    /** The first four bytes, big-endian, of {@code SHA-256(name || "\n" || encodedKey)}. */
    static int keyHash(String name, byte[] encodedKey) {
        MessageDigest digest = Hash.sha256Digest();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(encodedKey);
        byte[] sum = digest.digest();
        return (sum[0] & 0xff) << 24 | (sum[1] & 0xff) << 16 | (sum[2] & 0xff) << 8 | (sum[3] & 0xff);
    }

    /** A key name is non-empty and holds neither white space nor {@code +}. */
    static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.codePoints()
                .noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    static void requireValidName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name
                    + "': it must be non-empty, without spaces or '+'");
        }
    }
}
