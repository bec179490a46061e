package dev.yuanjian.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The data directory: {@code $YUANJIAN_HOME}, default {@code ~/.yuanjian}. Created on first use
 * with owner-only permissions, because it holds private keys.
 */
public record Home(Path dir) {

    public static Home fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Home fromEnvironment(Map<String, String> env) {
        String configured = env.get("YUANJIAN_HOME");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".yuanjian");
        return new Home(dir.toAbsolutePath().normalize());
    }

    /** Creates the directory (owner-only) if missing and returns this. */
    public Home ensureExists() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                restrictToOwner(dir, "rwx------");
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir
                    + " (set YUANJIAN_HOME to a writable directory)", e);
        }
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes {@code bytes} to {@code target} so that readers see either the old file or the whole
     * new one, never a part: the bytes go to a temporary file in the same directory, are forced to
     * disk, and the file is moved over the target atomically.
     */
    public static void writeAtomically(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + absolute.getFileName() + ".", ".tmp");
        try {
            if (ownerOnly) {
                restrictToOwner(temp, "rw-------");
            }
            try (var channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Like {@link #writeAtomically} but fails with {@link FileAlreadyExistsException} instead of
     * replacing an existing file; used for keys, which must never be overwritten.
     */
    public static void createAtomically(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        writeAtomically(target, bytes, true);
    }

    static void restrictToOwner(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Non-POSIX file systems have no mode bits; the directory's ACL is the user's concern.
        }
    }
}
