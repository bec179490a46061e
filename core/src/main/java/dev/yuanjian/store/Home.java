package dev.yuanjian.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
        publish(target, out -> out.write(bytes), ownerOnly, true);
    }

    /** Writes what it is given to a stream; the stream is not to be closed by it. */
    @FunctionalInterface
    public interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /**
     * As {@link #writeAtomically(Path, byte[], boolean)}, for content written as a stream (too large
     * to hold at once): if {@code content} throws, the target is left as it was and the temporary
     * file is removed.
     */
    public static void writeAtomically(Path target, Content content, boolean ownerOnly) throws IOException {
        publish(target, content, ownerOnly, true);
    }

    /**
     * Like {@link #writeAtomically} but never replaces a file, not even one another process created
     * a moment ago: the whole temporary file is hard-linked to {@code target}, which the file system
     * does only if no file has that name, in one step. A kill at any point leaves at most the hidden
     * temporary file ({@code .NAME.*.tmp}), never a part of {@code target}.
     *
     * @throws FileAlreadyExistsException when {@code target} exists, however recently it appeared
     * @throws IOException when the file system of {@code target}'s directory has no hard links (some
     *     FAT and network file systems): the message says so and what to do; nothing is written then
     */
    public static void createAtomically(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        publish(target, out -> out.write(bytes), ownerOnly, false);
    }

    /** As {@link #createAtomically(Path, byte[], boolean)}, for content written as a stream. */
    public static void createAtomically(Path target, Content content, boolean ownerOnly) throws IOException {
        publish(target, content, ownerOnly, false);
    }

    /** {@link #createAtomically(Path, byte[], boolean)} owner-only: for keys, which are never overwritten. */
    public static void createAtomically(Path target, byte[] bytes) throws IOException {
        createAtomically(target, bytes, true);
    }

    private static void publish(Path target, Content content, boolean ownerOnly, boolean replace) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        if (!replace && Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            // Cheap early answer; the link below is what guarantees it.
            throw new FileAlreadyExistsException(absolute.toString());
        }
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
                var out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            if (replace) {
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                link(temp, absolute);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Gives {@code temp}'s file the name {@code target} only if that name is free. A move cannot do
     * this: rename(2) replaces silently, and the JDK's check before a plain move leaves a gap in
     * which another process's file is replaced.
     */
    private static void link(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            throw new IOException("cannot create " + target + " without the risk of replacing a file another process "
                    + "writes at the same moment: the file system of " + target.getParent() + " does not support hard "
                    + "links (" + e.getMessage() + "); write to a directory on a local file system (ext4, xfs, btrfs, "
                    + "APFS, NTFS)", e);
        }
    }

    static void restrictToOwner(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Non-POSIX file systems have no mode bits; the directory's ACL is the user's concern.
        }
    }
}
