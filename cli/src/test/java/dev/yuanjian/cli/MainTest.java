package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: real files, a real data directory, exit codes. */
class MainTest {
    @TempDir
    Path dir;
    Map<String, String> env;
    String out;
    String err;

    @BeforeEach
    void home() {
        env = Map.of("YUANJIAN_HOME", dir.resolve("home").toString());
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(env, new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void tourLabelVerifyTamperVerify() throws Exception {
        Path doc = write("report.md", "# Quarterly report\n\nSales grew by 12 percent.\n");
        Path labelled = dir.resolve("report.labelled.md");

        assertThat(run("label", doc.toString(), "-o", labelled.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("content id").contains("log index      0");

        assertThat(run("verify", labelled.toString())).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("INTACT");

        Files.writeString(labelled, Files.readString(labelled).replace("12 percent", "21 percent"));
        assertThat(run("verify", labelled.toString())).isEqualTo(ExitCodes.ALTERED);
        assertThat(out).contains("ALTERED");

        assertThat(run("verify", doc.toString())).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(run("log", "verify")).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("log intact");
    }

    /**
     * Attack: a file that already shows the visible label (relabelled, or written with it) is not
     * drawn on again; the report says so instead of claiming it added one.
     */
    @Test
    void aVisibleLabelAlreadyShownIsReportedAsPresentNotAdded() throws Exception {
        Path shown = write("shown.md", "# Note\n\nAI-generated content\n\nThe text itself.\n");
        Path plain = write("plain.md", "# Note\n\nThe text itself.\n");

        assertThat(run("label", shown.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("visible label  already present").doesNotContain("added at the");
        assertThat(run("label", plain.toString(), "--json")).as(err).isEqualTo(ExitCodes.OK);
        assertThat(new ObjectMapper().readTree(out).get("alreadyPresent")).isEmpty();
        assertThat(run("label", shown.toString(), "-o", dir.resolve("shown.json.md").toString(), "--json")).isEqualTo(ExitCodes.OK);
        assertThat(new ObjectMapper().readTree(out).get("alreadyPresent").toString()).contains("gb45438-explicit");
        assertThat(run("label", plain.toString(), "-o", dir.resolve("plain.again.md").toString())).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("visible label  added at the start");
    }

    @Test
    void propagateAddsThePlatformAndExitCodesTellItsOutcomes() throws Exception {
        Path doc = write("essay.md", "# Essay\n\nWords of unknown origin.\n");
        Path published = dir.resolve("essay.published.md");

        assertThat(run("propagate", doc.toString(), "-o", published.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("level 2");
        assertThat(run("propagate", doc.toString(), "--level", "9", "-o", published.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--level must be 2");
        assertThat(run("propagate", doc.toString(), "--level", "3", "-o", published.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("Label=3");
        assertThat(run("verify", published.toString())).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("Propagated by this service", "propagator seal  checks".replace("  ", " "));

        String other = Files.readString(published).replace(Files.readString(published).replaceAll("(?s).*\"ContentPropagator\":\"([^\"]*)\".*", "$1"),
                "001191110000802100433B20000");
        Path theirs = write("theirs.md", other.replaceAll("\"ReservedCode2\":\"[^\"]*\"", "\"ReservedCode2\":\"their-seal\""));
        assertThat(run("verify", theirs.toString())).as(out).isEqualTo(ExitCodes.LABELLED_ELSEWHERE);
        assertThat(out).contains("LABELLED", "001191110000802100433B20000");
    }

    @Test
    void anOutputThatCannotBeWrittenLeavesNoLogEntry() throws Exception {
        Path doc = write("a.md", "# A\n");
        Path blocker = write("not-a-dir", "a file where a directory should be");
        long before;
        assertThat(run("log", "verify", "--json")).isEqualTo(ExitCodes.OK);
        before = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).get("entries").asLong();

        assertThat(run("label", doc.toString(), "-o", blocker.resolve("out.md").toString())).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("cannot write to");
        assertThat(run("log", "verify", "--json")).isEqualTo(ExitCodes.OK);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).get("entries").asLong()).isEqualTo(before);
    }

    @Test
    void serveTakesPortAndHostOptions() {
        assertThat(run("serve", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("--port", "--host", "yuanjian serve --port 9000");
        assertThat(run("serve", "--port", "70000")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--port must be 0..65535");
    }

    @Test
    void jsonOutputsAreParseable() throws Exception {
        Path doc = write("a.md", "Generated words.\n");
        Path labelled = dir.resolve("a.out.md");
        assertThat(run("label", doc.toString(), "-o", labelled.toString(), "--json")).isEqualTo(ExitCodes.OK);
        JsonNode label = new ObjectMapper().readTree(out);
        String contentId = label.get("contentId").asText();

        assertThat(run("verify", labelled.toString(), "--json")).isEqualTo(ExitCodes.OK);
        JsonNode report = new ObjectMapper().readTree(out);
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.at("/log/record/contentId").asText()).isEqualTo(contentId);

        assertThat(run("log", "proof", contentId, "--json")).isEqualTo(ExitCodes.OK);
        assertThat(new ObjectMapper().readTree(out).at("/proof/treeSize").asLong()).isEqualTo(1);

        assertThat(run("log", "checkpoint")).isEqualTo(ExitCodes.OK);
        assertThat(out).startsWith("yuanjian.local/log\n1\n").contains("\u2014 yuanjian.local/log ");
    }

    @Test
    void plainTextGetsASidecarThatVerifyFindsByItself() throws Exception {
        Path doc = write("story.txt", "Once upon a time.\n");
        Path labelled = dir.resolve("story.out.txt");

        assertThat(run("label", doc.toString(), "-o", labelled.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(dir.resolve("story.out.txt.aigc.json")).exists();
        assertThat(run("verify", labelled.toString())).as(out + err).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aWebpGetsTheMetadataLabelAndC2paAndSaysNoVisibleLabelWasDrawn() throws Exception {
        Path image = Files.write(dir.resolve("picture.webp"), dev.yuanjian.container.WebpFixtures.lossless(64, 48));
        Path labelled = dir.resolve("picture.labelled.webp");

        assertThat(run("label", image.toString(), "-o", labelled.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("format         webp (image/webp)")
                .contains("visible label  none: cannot be drawn on WEBP here (the metadata label and C2PA carry it)")
                .contains("marks          gb45438-implicit, c2pa");
        assertThat(run("verify", labelled.toString())).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("INTACT").contains("C2PA Content Credentials valid and trusted");

        assertThat(run("label", image.toString(), "--no-c2pa", "-o", dir.resolve("plain.webp").toString())).as(err)
                .isEqualTo(ExitCodes.OK);
        assertThat(out).contains("(the metadata label carries it)").contains("marks          gb45438-implicit\n");
    }

    @Test
    void badInputGetsAClearErrorAndNoOutputFile() throws Exception {
        Path doc = write("broken.docx", "this is not a zip");
        Path target = dir.resolve("out.docx");

        assertThat(run("label", doc.toString(), "-o", target.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).startsWith("yuanjian: ").doesNotContain("Exception");
        assertThat(target).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        assertThat(run("label", write("x.xyz", "?").toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("verify", dir.resolve("missing.md").toString())).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("no such file");
        assertThat(run("verify")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("log", "proof", "01JUNKJUNKJUNKJUNKJUNKJUNK")).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void existingOutputIsNotReplacedWithoutForce() throws Exception {
        Path doc = write("a.md", "words\n");
        Path target = write("taken.md", "keep me");

        assertThat(run("label", doc.toString(), "-o", target.toString())).isEqualTo(ExitCodes.IO);
        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(run("label", doc.toString(), "-o", target.toString(), "--force")).isEqualTo(ExitCodes.OK);
    }

    @Test
    void logVerifyReportsATamperedEntryByIndex() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(run("label", write("d" + i + ".md", "doc " + i + "\n").toString())).isEqualTo(ExitCodes.OK);
        }
        String url = "jdbc:h2:file:" + dir.resolve("home").resolve("yuanjian") + ";AUTO_SERVER=TRUE";
        // The owner can tamper (the password is in the owner-only data directory); nobody else can.
        String password = java.util.HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("home/keys/db.secret")));
        try (var connection = DriverManager.getConnection(url, "sa", password);
             var statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(
                    "UPDATE ledger_entries SET record = (SELECT record FROM ledger_entries WHERE idx = 0) WHERE idx = 1")).isEqualTo(1);
        }

        assertThat(run("log", "verify")).isEqualTo(ExitCodes.LOG_TAMPERED);
        assertThat(out).contains("entry 1");
    }

    @Test
    void helpListsExitCodes() {
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("label").contains("verify").contains("13  log verify");
    }
}
