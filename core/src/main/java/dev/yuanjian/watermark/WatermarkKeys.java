package dev.yuanjian.watermark;

import dev.yuanjian.mark.Message;
import dev.yuanjian.store.Home;
import dev.yuanjian.store.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static WatermarkKeys file(Path file, boolean create) {
        Path id = file.resolveSibling(file.getFileName() + ".id");
        return new WatermarkKeys() {
            @Override
            public byte[] forMarking() throws IOException {
                if (!create) {
                    throw new IllegalStateException("this instance was opened for reading: it marks no image");
                }
                requireNotLost();
                byte[] key = Secrets.loadOrCreate(file);
                if (!Files.exists(id)) {
                    try {
                        Home.createAtomically(id,
                                (TileLayout.fingerprint(key) + "\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (FileAlreadyExistsException raced) {
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
                return Files.exists(file) ? Optional.of(Secrets.loadOrCreate(file))
                        : Optional.empty();
            }

            private void requireNotLost() throws IOException {
                if (!Files.exists(file) && Files.exists(id)) {
                    throw new LostKeyException(file, id, Files.readString(id).strip());
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

    /**
     * The key file is gone while its fingerprint file says images were marked with it. The message
     * is English; {@link #why()} says it in both languages.
     */
    final class LostKeyException extends IOException {
        private final transient Message why;

        LostKeyException(Path file, Path id, String fingerprint) {
            this(new Message(file + " is missing, but " + id + " records that key " + fingerprint
                    + " marked images here: restore the key from a backup (only it can trace those images), or delete "
                    + id + " to start a new key",
                    "水印密钥 " + file + " 不存在，但 " + id + " 记录了密钥 " + fingerprint
                    + " 曾为此处的图片加水印：请从备份恢复该密钥（只有它能追溯这些图片），或删除 " + id + " 以启用新密钥"));
        }

        private LostKeyException(Message why) {
            super(why.en());
            this.why = why;
        }

        /** What happened and what to do, in English and Chinese. */
        public Message why() {
            return why;
        }
    }
}
