package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT training run keeps working as the commands change (each gives the exit code it
 * is expected to), and a read-only command on a fresh data directory leaves no trace in it.
 */
class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void everyTrainingCommandGivesItsExpectedExitCode() throws Exception {
        StringWriter out = new StringWriter();
        int failures = AotTraining.train(dir, new PrintWriter(out, true));
        assertThat(failures).as(out.toString()).isZero();
        assertThat(dir.resolve("fresh-home")).as("verify on a fresh data directory creates it").doesNotExist();
    }

    @Test
    void verifyAndLogReadingOnAFreshHomeCreateNothing() throws Exception {
        Path home = dir.resolve("home");
        Path doc = Files.writeString(dir.resolve("plain.md"), "# plain\n\ntext\n");
        Map<String, String> env = Map.of("YUANJIAN_HOME", home.toString());
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out, true);
        assertThat(Main.run(env, w, w, "verify", doc.toString())).as(out.toString()).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(Main.run(env, w, w, "log", "verify")).as(out.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Main.run(env, w, w, "log", "proof", "0")).as(out.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(home).doesNotExist();
    }
}
