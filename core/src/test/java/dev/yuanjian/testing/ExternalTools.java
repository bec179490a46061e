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

    /**
     * An ExifTool config naming the TC260 XMP namespace (ExifTool reads and writes an unknown
     * namespace only when told about it), written to {@code dir}; pass it as {@code -config FILE}.
     */
    public static Path exiftoolTc260Config(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("tc260.config"), """
                %Image::ExifTool::UserDefined = (
                    'Image::ExifTool::XMP::Main' => {
                        TC260 => { SubDirectory => { TagTable => 'Image::ExifTool::UserDefined::TC260' } },
                    },
                );
                %Image::ExifTool::UserDefined::TC260 = (
                    GROUPS => { 0 => 'XMP', 1 => 'XMP-TC260', 2 => 'Image' },
                    NAMESPACE => { 'TC260' => 'http://www.tc260.org.cn/ns/AIGC/1.0/' },
                    WRITABLE => 'string',
                    AIGC => { },
                );
                1;
                """);
    }

    /** Skips (developer machine) or fails (CI) with {@code message}. */
    public static void missing(String message) {
        // Surefire keeps an assumption's message in its XML only: say it where a developer looks.
        System.err.println("SKIPPED (missing tool): " + message);
        if (required()) {
            fail(message + " (required because yuanjian.requireTools=true)");
        }
        Assumptions.abort(message);
    }
}
