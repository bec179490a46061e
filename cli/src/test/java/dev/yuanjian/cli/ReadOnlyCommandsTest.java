package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that only reads leaves a data directory that does not exist yet absent (no keys,
 * database or directory made to answer), and still answers; where something is stored, it reads it.
 */
class ReadOnlyCommandsTest {
    @TempDir
    Path dir;
    String out;

    private int run(Path home, String... args) {
        StringWriter o = new StringWriter();
        PrintWriter w = new PrintWriter(o, true);
        int code = Main.run(new Main(Map.of("YUANJIAN_HOME", home.toString()), w, w, List.of()), args);
        out = o.toString();
        return code;
    }

    @Test
    void readOnlyCommandsOnAFreshHomeCreateNothing() throws Exception {
        Path home = dir.resolve("fresh");
        Path doc = Files.writeString(dir.resolve("plain.md"), "# plain\n\ntext\n");
        assertThat(run(home, "verify", doc.toString())).as(out).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(run(home, "verify", doc.toString(), doc.toString(), "--json")).as(out).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(run(home, "log", "verify")).as(out).isEqualTo(ExitCodes.OK);
        assertThat(run(home, "log", "proof", "0")).as(out).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run(home, "keys", "list")).as(out).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("No keys");
        assertThat(run(home, "keys", "list", "--json")).as(out).isEqualTo(ExitCodes.OK);
        assertThat(out.strip()).isEqualTo("[ ]");
        assertThat(run(home, "keys", "revoke", "abcd1234")).as(out).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(out).contains("no active key with id abcd1234");
        assertThat(run(home, "log", "checkpoint")).as(out).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(out).contains("no log yet in " + home).doesNotContain("verifier key");
        assertThat(run(home, "log", "checkpoint", "--json")).as(out).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(home).doesNotExist();
    }

    @Test
    void withALogTheyReadIt() throws Exception {
        Path home = dir.resolve("used");
        Path doc = Files.writeString(dir.resolve("story.md"), "# story\n\nOnce.\n");
        assertThat(run(home, "label", doc.toString())).as(out).isZero();
        assertThat(run(home, "log", "checkpoint")).as(out).isZero();
        assertThat(out).contains("verifier key: ").contains("\n1\n"); // the note's size line: one entry
        assertThat(run(home, "keys", "create", "--name", "app")).as(out).isZero();
        String id = out.lines().filter(l -> l.startsWith("Created key ")).findFirst().orElseThrow().split(" ")[2];
        assertThat(run(home, "keys", "list")).as(out).isZero();
        assertThat(out).contains(id).contains("active");
        assertThat(run(home, "keys", "revoke", id)).as(out).isZero();
        assertThat(run(home, "keys", "list")).as(out).isZero();
        assertThat(out).contains("REVOKED");
    }

    /**
     * A read-only command's product is opened while its arguments are parsed (OpenAhead). When the
     * command never asks for it (help, a bad option), it is closed before the run returns: the
     * embedded database's lock file, which exists exactly while a process holds the database, is gone.
     */
    @Test
    void whatWasOpenedAheadIsClosedWhenTheCommandDoesNotUseIt() throws Exception {
        Path home = dir.resolve("used");
        Path doc = Files.writeString(dir.resolve("story.md"), "# story\n\nOnce.\n");
        assertThat(run(home, "label", doc.toString())).as(out).isZero();
        Path lock = home.resolve("yuanjian.lock.db");
        assertThat(lock).doesNotExist();
        assertThat(run(home, "verify", "--no-such-option", doc.toString())).as(out).isEqualTo(ExitCodes.USAGE);
        assertThat(lock).doesNotExist();
        assertThat(run(home, "verify", "--help")).as(out).isZero();
        assertThat(lock).doesNotExist();
        assertThat(run(home, "log", "nonsense")).as(out).isEqualTo(ExitCodes.USAGE);
        assertThat(lock).doesNotExist();
        assertThat(run(home, "verify", dir.resolve("missing.md").toString())).as(out).isNotZero();
        assertThat(lock).doesNotExist();
        assertThat(run(home, "verify", dir.resolve("story.labelled.md").toString())).as(out).isZero();
        assertThat(lock).doesNotExist();
    }

    /** A product that cannot be opened fails the command as it did when the command opened it itself. */
    @Test
    void aFailureToOpenAheadIsTheCommandsError() throws Exception {
        Path home = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(home.resolve("config.yaml"), "database: [unclosed\n");
        Path doc = Files.writeString(dir.resolve("plain.md"), "# plain\n\ntext\n");
        int code = run(home, "verify", doc.toString());
        assertThat(code).as(out).isEqualTo(ExitCodes.IO);
        assertThat(out).contains("config.yaml").doesNotContain("CompletionException").doesNotContain("\tat ");
        assertThat(run(home, "log", "verify")).as(out).isEqualTo(ExitCodes.IO);
    }
}
