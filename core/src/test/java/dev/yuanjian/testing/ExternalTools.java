package dev.yuanjian.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program outside the JVM (Go, ExifTool, Chromium, PostgreSQL) ask here first.
 * On a developer machine without the program the test is skipped with a message naming the Debian
 * package to install; with {@code -Dyuanjian.requireTools=true} (as {@code .ci/run} sets) a missing
 * program fails the test instead, so CI can never pass by skipping.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    public static boolean required() {
        return Boolean.getBoolean("yuanjian.requireTools");
    }

    /** Returns the path of {@code command} found on PATH or at one of {@code candidates}. */
    public static Path require(String command, String debianPackage, String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path path = Path.of(dir, command);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        missing(command + " not found; install it with: apt-get install " + debianPackage);
        throw new AssertionError("unreachable");
    }

    /** Skips (developer machine) or fails (CI) with {@code message}. */
    public static void missing(String message) {
        if (required()) {
            fail(message + " (required because yuanjian.requireTools=true)");
        }
        Assumptions.abort(message);
    }
}
