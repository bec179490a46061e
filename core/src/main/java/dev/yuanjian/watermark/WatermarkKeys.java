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
     * first marking. With {@code create} false (read-only use) nothing is ever written.
     */
    static WatermarkKeys file(java.nio.file.Path file, boolean create) {
        return new WatermarkKeys() {
            @Override
            public byte[] forMarking() throws IOException {
                if (!create) {
                    throw new IllegalStateException("this instance was opened for reading: it marks no image");
                }
                return dev.yuanjian.store.Secrets.loadOrCreate(file);
            }

            @Override
            public Optional<byte[]> forDetection() throws IOException {
                if (create) {
                    return Optional.of(forMarking());
                }
                return java.nio.file.Files.exists(file) ? Optional.of(dev.yuanjian.store.Secrets.loadOrCreate(file))
                        : Optional.empty();
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
