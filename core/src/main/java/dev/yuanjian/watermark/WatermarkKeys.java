package dev.yuanjian.watermark;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the watermark mark gets the producer's secret key. It asks only when it meets an image, so
 * a command that meets none never touches the key file.
 */
public interface WatermarkKeys {

    /** The key for marking; created on first use by sources that may write. */
    byte[] forMarking() throws IOException;

    /** The key for detection; empty when none exists (then nothing was ever marked with it). */
    Optional<byte[]> forDetection() throws IOException;

    /**
     * The 32 random bytes in {@code file} ({@code keys/watermark.key}), created owner-only on the
     * first marking, with the key's public fingerprint beside it ({@code watermark.key.id}). With
     * {@code create} false (read-only use) nothing is ever written.
     *
     * <p>A key file that disappears while its fingerprint file remains is an error, not a reason to
     * make a new key: every image marked with the old key could no longer be traced, silently.
     */
    static WatermarkKeys file(java.nio.file.Path file, boolean create) {
        java.nio.file.Path id = file.resolveSibling(file.getFileName() + ".id");
        return new WatermarkKeys() {
            @Override
            public byte[] forMarking() throws IOException {
                if (!create) {
                    throw new IllegalStateException("this instance was opened for reading: it marks no image");
                }
                requireNotLost();
                byte[] key = dev.yuanjian.store.Secrets.loadOrCreate(file);
                if (!java.nio.file.Files.exists(id)) {
                    try {
                        dev.yuanjian.store.Home.createAtomically(id,
                                (TileLayout.fingerprint(key) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.nio.file.FileAlreadyExistsException raced) {
                        // another process wrote the same fingerprint first
                    }
                }
                return key;
            }

            @Override
            public Optional<byte[]> forDetection() throws IOException {
                if (create) {
                    return Optional.of(forMarking());
                }
                requireNotLost();
                return java.nio.file.Files.exists(file) ? Optional.of(dev.yuanjian.store.Secrets.loadOrCreate(file))
                        : Optional.empty();
            }

            private void requireNotLost() throws IOException {
                if (!java.nio.file.Files.exists(file) && java.nio.file.Files.exists(id)) {
                    String fingerprint = java.nio.file.Files.readString(id).strip();
                    throw new IOException(file + " is missing, but " + id + " records that key " + fingerprint
                            + " marked images here: restore the key from a backup (only it can trace those images), "
                            + "or delete " + id + " to start a new key");
                }
            }
        };
    }

    /** A fixed key (tests, benchmarks, embedders holding their own). */
    static WatermarkKeys of(byte[] key) {
        byte[] copy = key.clone();
        return new WatermarkKeys() {
            @Override
            public byte[] forMarking() {
                return copy.clone();
            }

            @Override
            public Optional<byte[]> forDetection() {
                return Optional.of(copy.clone());
            }
        };
    }
}
