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
 * The data directory: {@code $YUANJIAN_HOME}, default {@code ~/.yuanjian}. Owner-only (0700)
 * whoever created it, because it holds private keys and the database: with the directory closed,
 * no other local account reaches any file in it, whatever the file's own mode.
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

    /**
     * Creates the directory (owner-only) if missing and returns this. A directory that exists
     * (users often create it to write config.yaml) is made owner-only too, since it holds keys and
     * the database; one that belongs to another account is refused.
     *
     * @throws UncheckedIOException when the directory cannot be created, belongs to another user, or
     *     its permissions cannot be set
     */
    public Home ensureExists() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            String me = System.getProperty("user.name");
            String owner = Files.getOwner(dir).getName();
            if (!owner.equals(me)) {
                throw new IOException("the data directory " + dir + " belongs to " + owner + ", not to " + me
                        + "; use a directory of your own (YUANJIAN_HOME)");
            }
            restrictToOwner(dir, "rwx------");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() != null && e.getMessage().contains("belongs to") ? e.getMessage()
                    : "cannot use the data directory " + dir + " (" + e + "; set YUANJIAN_HOME to a writable directory of "
                    + "your own)", e);
        }
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes {@code bytes} to {@code target} so that readers see either the old file or the whole
     * new one, never a part: the bytes go to a temporary file in the same directory, are forced to
     * disk, and the file is moved over the target atomically. The file gets the permissions the
     * umask gives new files, or owner-only with {@code ownerOnly} (keys, secrets).
     */
    public static void writeAtomically(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        // Files.createFile honours the umask (createTempFile would force 0600): a user's document keeps
        // the permissions the user's other files get; keys are restricted below.
        Path temp = Files.createFile(parent.resolve("." + absolute.getFileName() + "."
                + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36) + ".tmp"));
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
