package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code label} where its output cannot go: the message fits the case. Without {@code -o} the output
 * would go beside the input, so it says so and suggests {@code -o}; with {@code -o}, another one.
 */
class UnwritableOutputTest {
    @TempDir
    Path dir;
    String out;
    String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new Main(Map.of("YUANJIAN_HOME", dir.resolve("home").toString()), new PrintWriter(o),
                new PrintWriter(e), List.of()), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /**
     * A directory no file can be created in: one without write permission, or, for root (whom
     * permissions do not stop), /proc/self, where no regular file can be made.
     */
    private Path unwritable() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.writeString(ro.resolve("a.md"), "# A\n\ntext\n");
        Files.writeString(ro.resolve("b.md"), "# B\n\ntext\n");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Files.delete(Files.createFile(ro.resolve("probe")));
        } catch (java.io.IOException refused) {
            return ro;
        }
        Path proc = Path.of("/proc/self");
        Assumptions.assumeTrue(Files.isDirectory(proc), "running as root without /proc: no unwritable directory here");
        return proc;
    }

    @Test
    void withoutOutputTheMessageSaysTheOutputGoesBesideTheInputAndSuggestsO() throws Exception {
        Path ro = unwritable();
        String a = ro.resolve(ro.startsWith("/proc") ? "status" : "a.md").toString();
        String b = ro.resolve(ro.startsWith("/proc") ? "environ" : "b.md").toString();

        assertThat(run("label", a)).as(err).isEqualTo(ExitCodes.IO);
        assertThat(err).startsWith("yuanjian: cannot write to " + ro).contains("without -o the output goes beside its input")
                .contains("-o FILE").doesNotContain("choose another -o");

        assertThat(run("label", a, b)).as(out).isEqualTo(ExitCodes.IO);
        assertThat(out.lines().filter(l -> l.contains(": ERROR")).toList()).hasSize(2)
                .allMatch(l -> l.contains("without -o the output goes beside its input") && l.contains("-o DIR"));
        assertThat(out).doesNotContain("choose another -o");
        assertThat(dir.resolve("home")).as("nothing was labelled, so nothing was logged").satisfiesAnyOf(
                home -> assertThat(home).doesNotExist(),
                home -> assertThat(run("log", "proof", "0")).isEqualTo(ExitCodes.NOT_FOUND));
    }

    @Test
    void withOutputItSaysChooseAnother() throws Exception {
        Path ro = unwritable();
        Path doc = Files.writeString(dir.resolve("doc.md"), "# doc\n\ntext\n");

        assertThat(run("label", doc.toString(), "-o", ro.resolve("doc.md").toString())).as(err).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("cannot write to " + ro).contains("choose another -o").doesNotContain("without -o");
    }

    /**
     * Attack: {@code -o} naming a directory. An existing one takes the output under its default
     * name (as cp does); a name ending in '/' that does not exist is refused before anything is
     * logged, never written as a file of that name.
     */
    @Test
    void anOutputThatNamesADirectoryGoesIntoItOrIsRefusedBeforeLogging() throws Exception {
        Path doc = Files.writeString(dir.resolve("note.md"), "# Note\n\ntext\n");
        Path into = Files.createDirectories(dir.resolve("out"));
        assertThat(run("label", doc.toString(), "-o", into.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(into.resolve("note.labelled.md")).exists();
        assertThat(run("label", doc.toString(), "-o", into.toString(), "--force")).as(err).isEqualTo(ExitCodes.OK);
        assertThat(into).isDirectory();

        assertThat(run("log", "checkpoint", "--json")).isEqualTo(ExitCodes.OK);
        String before = out;
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(before).get("size").asLong()).isEqualTo(2);
        assertThat(run("label", doc.toString(), "-o", dir.resolve("missing") + "/")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("names a directory that does not exist");
        assertThat(dir.resolve("missing")).doesNotExist();
        assertThat(run("log", "checkpoint", "--json")).isEqualTo(ExitCodes.OK);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).get("size"))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(before).get("size"));
    }
}
