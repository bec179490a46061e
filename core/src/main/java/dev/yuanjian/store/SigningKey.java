package dev.yuanjian.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair kept as a 32-byte seed in an owner-only file of the data directory.
 * The file holds one line: {@code ed25519 <base64 seed>}.
 */
public final class SigningKey {
    private static final String PREFIX = "ed25519 ";

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private SigningKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    /** A key from a 32-byte seed; tests and benchmarks use fixed seeds. */
    public static SigningKey fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
        }
        return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public static SigningKey generate() {
        return new SigningKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /**
     * Loads the key in {@code file}, or generates one there (owner-only, written atomically) when
     * the file does not exist. Two processes starting at once agree on one key: the loser of the
     * race reads the winner's file.
     */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            SigningKey fresh = generate();
            String line = PREFIX + Base64.getEncoder().encodeToString(fresh.privateKey.getEncoded()) + "\n";
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Home.restrictToOwner(file.toAbsolutePath().getParent(), "rwx------");
                Home.createAtomically(file, line.getBytes(StandardCharsets.US_ASCII));
                return fresh;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(PREFIX)) {
            throw new IOException("key file " + file + " is not an Yuanjian Ed25519 key (expected a line 'ed25519 <base64>')");
        }
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException("key file " + file + " holds invalid base64", e);
        }
        if (seed.length != 32) {
            throw new IOException("key file " + file + " holds " + seed.length + " bytes, an Ed25519 seed has 32");
        }
        return fromSeed(seed);
    }

    /** The 32-byte raw public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 64-byte Ed25519 signature of {@code message}; safe to call from many threads at once. */
    public byte[] sign(byte[] message) {
        // Straight to the key (which keeps its public half): a Signer object would buffer a copy of
        // the message first, once per answer the gateway seals.
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Checks an Ed25519 signature by the holder of the raw 32-byte {@code publicKey}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != 32 || signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
