package dev.yuanjian.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Random 32-byte secrets kept in files of the data directory, created owner-only at first use. */
public final class Secrets {
    private Secrets() {
    }

    /**
     * The 32 bytes in {@code file}, created from {@link SecureRandom} when the file does not exist.
     * Two processes starting together agree: the loser of the race reads the winner's file.
     *
     * @throws IOException when the file cannot be written or does not hold exactly 32 bytes
     */
    public static byte[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            try {
                Home.createAtomically(file, secret);
                return secret;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length != 32) {
            throw new IOException("key file " + file + " must hold 32 bytes; it holds " + secret.length);
        }
        return secret;
    }
}
