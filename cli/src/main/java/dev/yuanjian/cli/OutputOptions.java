package dev.yuanjian.cli;

import dev.yuanjian.store.Home;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code -o/--output} and {@code --force} (a mixin): where a command writes its result, and the one
 * rule that an existing file is never replaced unless asked. The check runs before any work, so a
 * refused run leaves no log entry behind.
 */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "where to write the result (default: as described above); an existing directory "
                    + "takes it under its default name")
    private String outputArgument;

    @Option(names = "--force", description = "replace OUT if it exists")
    private boolean force;

    /**
     * {@code -o}, or {@code input}'s name with {@code suffix} before its extension, beside it
     * ({@code report.md} and {@code "labelled"} give {@code report.labelled.md}).
     */
    Path target(Path input, String suffix) {
        Path output = output();
        if (output == null) {
            return writable(beside(input, suffix), false);
        }
        // As cp does: into an existing directory under the default name. A name ending in '/' means a
        // directory too; one that does not exist is refused rather than taken as a file name.
        if (Files.isDirectory(output)) {
            return writable(output.resolve(beside(input, suffix).getFileName()), false);
        }
        requireNotDirectoryName();
        return writable(output, false);
    }

    /** {@code -o} if given, for a command that prints its result by default. */
    Optional<Path> given() {
        Path output = output();
        if (output != null && Files.isDirectory(output)) {
            throw new Main.UserError(ExitCodes.USAGE, "-o " + outputArgument + " is a directory; give a file name");
        }
        if (output != null) {
            requireNotDirectoryName();
        }
        return Optional.ofNullable(output).map(out -> writable(out, false));
    }

    private Path output() {
        return outputArgument == null ? null : Path.of(outputArgument);
    }

    private void requireNotDirectoryName() {
        if (outputArgument.endsWith("/") || outputArgument.endsWith(java.io.File.separator)) {
            throw new Main.UserError(ExitCodes.USAGE, "-o " + outputArgument + " names a directory that does not exist; "
                    + "create it first, or give a file name");
        }
    }

    /**
     * For many inputs: {@code -o} as the directory the outputs go below, if given.
     *
     * @throws Main.UserError (exit 2) when {@code -o} is not an existing directory
     */
    Optional<Path> directory() {
        Path output = output();
        if (output != null && !Files.isDirectory(output)) {
            throw new Main.UserError(ExitCodes.USAGE, "with several files, -o names an existing directory for the outputs; "
                    + output + " is not one (create it first)");
        }
        return Optional.ofNullable(output);
    }

    /**
     * Refuses {@code out} if it exists (without {@code --force}) or its directory cannot take a file:
     * one file of many, checked before that file is labelled and logged.
     */
    void checkWritable(Path out) {
        writable(out, true);
    }

    /**
     * Writes {@code bytes} whole to {@code out}, and {@code sidecar} (if any) whole to
     * {@code out}'s sidecar name, and returns the sidecar's path (null without one). Without
     * {@code --force} neither replaces a file, not even one another process wrote after
     * {@link #checkWritable}: the file system refuses the name in the same step that gives it. The
     * sidecar goes first and is taken back if the output then cannot be written, so a label file
     * is never left beside someone else's output.
     *
     * @throws Main.UserError (exit 4) when a file is there already; the log entry made for this
     *     output then stays without a file (the log records issuance, not publication)
     */
    Path write(Path out, byte[] bytes, Optional<byte[]> sidecar) throws java.io.IOException {
        Path sidecarPath = sidecar.isPresent() ? SidecarOption.of(out) : null;
        if (sidecarPath != null) {
            publish(sidecarPath, sidecar.get(), "use --force to replace it");
        }
        try {
            publish(out, bytes, "written by another process meanwhile; use --force to replace it");
        } catch (RuntimeException | java.io.IOException e) {
            if (sidecarPath != null) {
                Files.deleteIfExists(sidecarPath);
            }
            throw e;
        }
        return sidecarPath;
    }

    private void publish(Path file, byte[] bytes, String ifTaken) throws java.io.IOException {
        if (force) {
            Home.writeAtomically(file, bytes, false);
            return;
        }
        try {
            Home.createAtomically(file, bytes, false);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new Main.UserError(ExitCodes.IO, "already exists: " + file + " (" + ifTaken + ")");
        }
    }

    /** @param many whether {@code out} is one of many outputs ({@code -o} then names a directory) */
    private Path writable(Path out, boolean many) {
        if (Files.isDirectory(out)) {
            throw new Main.UserError(ExitCodes.IO, out + " is a directory; " + remedy(out, many));
        }
        if (Files.exists(out) && !force) {
            throw new Main.UserError(ExitCodes.IO, "already exists: " + out + " (use --force to replace it)");
        }
        probe(out.toAbsolutePath().getParent(), remedy(out, many));
        return out;
    }

    /**
     * What to do about an output that cannot go where it would: choose another {@code -o} when one
     * was given; else say that it would go beside its input, and how to send it elsewhere.
     */
    String remedy(Path out, boolean many) {
        if (outputArgument != null) {
            return "choose another -o";
        }
        return "without -o the output goes beside its input; write it elsewhere with "
                + (many ? "-o DIR (an existing directory)" : "-o FILE (e.g. -o /tmp/" + out.getFileName() + ")");
    }

    /**
     * Creates and removes a file where the output will go: a directory that cannot take it fails
     * here, before a log entry is made for a file that would never be written.
     */
    private static void probe(Path dir, String remedy) {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".yuanjian-probe", ".tmp"));
        } catch (java.io.IOException e) {
            throw new Main.UserError(ExitCodes.IO, "cannot write to " + dir + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); " + remedy);
        }
    }

    static Path beside(Path input, String suffix) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String out = dot > 0 ? name.substring(0, dot) + "." + suffix + name.substring(dot) : name + "." + suffix;
        return input.resolveSibling(out);
    }
}
