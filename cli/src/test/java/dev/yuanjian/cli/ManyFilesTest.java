package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.container.ImageFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code label} and {@code verify} over many files: directories with {@code -r}, globs, one line per
 * file in path order, a summary, JSON Lines, the worst exit code, outputs beside inputs or below
 * {@code -o DIR}, and a bad file that does not stop the others.
 */
class ManyFilesTest {
    @TempDir
    Path dir;
    Path tree;
    Map<String, String> env;
    String out;
    String err;

    @BeforeEach
    void home() throws Exception {
        env = Map.of("YUANJIAN_HOME", dir.resolve("home").toString());
        tree = Files.createDirectories(dir.resolve("tree"));
    }

    private int run(String... args) {
        return run(false, args);
    }

    private int run(boolean terminal, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new Main(env, new PrintWriter(o), new PrintWriter(e), List.of(), terminal), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Path write(String relative, String text) throws Exception {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String relative, byte[] bytes) throws Exception {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private List<String> lines() {
        return out.lines().toList();
    }

    /**
     * Attack: two processes label the same files into the same directory at once, without --force.
     * Each output is reported labelled by exactly one of them, and the file on disk is the one that
     * run reported (its content id); the other run says the file was written meanwhile.
     */
    @Test
    void twoRunsRacingForTheSameOutputsNeverReplaceEachOther() throws Exception {
        int files = 40;
        for (int i = 0; i < files; i++) {
            write("race/i" + i + ".md", "# " + i + "\n\nGenerated text number " + i + ".\n");
        }
        Path published = Files.createDirectories(dir.resolve("published"));
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<String>> runs = new ArrayList<>();
        for (String home : List.of("home-a", "home-b")) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                StringWriter o = new StringWriter();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                Main.run(new Main(Map.of("YUANJIAN_HOME", dir.resolve(home).toString()), new PrintWriter(o),
                        new PrintWriter(new StringWriter()), List.of(), false), "label", "-r", tree.resolve("race").toString(),
                        "-o", published.toString(), "--json", "--jobs", "2");
                return o.toString();
            }));
        }
        start.countDown();
        Map<String, List<String>> labelledBy = new java.util.HashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (var run : runs) {
            for (String line : run.get().lines().toList()) {
                JsonNode node = mapper.readTree(line);
                if (!node.path("type").asText().equals("file")) {
                    continue;
                }
                if (node.path("outcome").asText().equals("labelled")) {
                    labelledBy.computeIfAbsent(node.path("output").asText(), k -> new ArrayList<>())
                            .add(node.path("contentId").asText());
                } else {
                    assertThat(node.toString()).contains("already exists");
                }
            }
        }
        assertThat(labelledBy).hasSize(files);
        for (var entry : labelledBy.entrySet()) {
            assertThat(entry.getValue()).as(entry.getKey() + " reported labelled once").hasSize(1);
            assertThat(Files.readString(Path.of(entry.getKey()))).as(entry.getKey()).contains(entry.getValue().getFirst());
        }
    }

    /** Sources of every kind, nested, with hidden files and a sidecar that a walk must leave out. */
    private void sources() throws Exception {
        write("a.md", "# A\n\nFirst generated text.\n");
        write("img/b.png", ImageFixtures.png(64, 48));
        write("img/deep/c.md", "# C\n\nThe spring morning came without a sound.\n");
        write("t.txt", "Plain generated words.\n");
        write("notes.xyz", "not a format anyone labels");
        write("broken.docx", "this is not a zip");
        write(".hidden/h.md", "# hidden directory\n");
        write("img/.h.md", "# hidden file\n");
        // Links met while walking are not followed: neither out of the tree nor to a file in it.
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("x.md"), "# outside the tree\n");
        Files.createSymbolicLink(tree.resolve("img/out"), outside);
        Files.createSymbolicLink(tree.resolve("alias.md"), tree.resolve("a.md"));
    }

    private String p(String relative) {
        return tree.resolve(relative).toString();
    }

    @Test
    void labelWalksATreeWritesBesideEachInputAndReportsEachFile() throws Exception {
        sources();

        assertThat(run("label", "-r", tree.toString())).as(err).isEqualTo(ExitCodes.BAD_INPUT);

        List<String> lines = lines();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).startsWith(p("a.md") + ": LABELLED  -> " + p("a.labelled.md") + " (log index ");
        assertThat(lines.get(1)).startsWith(p("broken.docx") + ": INVALID  ").contains("broken.docx");
        assertThat(lines.get(2)).startsWith(p("img/b.png") + ": LABELLED  -> " + p("img/b.labelled.png"));
        assertThat(lines.get(3)).startsWith(p("img/deep/c.md") + ": LABELLED  -> " + p("img/deep/c.labelled.md"));
        assertThat(lines.get(4)).startsWith(p("notes.xyz") + ": UNSUPPORTED  unknown format for notes.xyz");
        assertThat(lines.get(5)).isEqualTo(p("t.txt") + ": LABELLED  -> " + p("t.labelled.txt")
                + " + t.labelled.txt.aigc.json (log index " + lines.get(5).replaceAll(".*log index (\\d+)\\)$", "$1") + ")");
        assertThat(lines.get(6)).isEqualTo("6 files: labelled 4, invalid 1, unsupported 1 (exit 3)");
        assertThat(tree.resolve("img/deep/c.labelled.md")).exists();
        assertThat(tree.resolve("t.labelled.txt.aigc.json")).exists();
        assertThat(tree.resolve(".hidden/h.labelled.md")).doesNotExist();
        assertThat(tree.resolve("img/.h.labelled.md")).doesNotExist();
        assertThat(tree.resolve("broken.labelled.docx")).doesNotExist();
        assertThat(logIndexes(lines)).doesNotHaveDuplicates().hasSize(4);

        // A second run leaves the outputs of the first alone and refuses to replace them.
        assertThat(run("label", "-r", tree.toString())).isEqualTo(ExitCodes.IO);
        assertThat(lines()).hasSize(7).filteredOn(l -> l.substring(0, l.indexOf(": ")).contains(".labelled")).isEmpty();
        assertThat(out).contains(p("a.md") + ": ERROR  already exists: " + p("a.labelled.md") + " (use --force to replace it)");
        assertThat(lines().get(6)).isEqualTo("6 files: invalid 1, unsupported 1, error 4 (exit 4)");
    }

    private static List<Long> logIndexes(List<String> lines) {
        return lines.stream().filter(l -> l.contains("(log index "))
                .map(l -> Long.parseLong(l.replaceAll(".*\\(log index (\\d+)\\).*$", "$1"))).toList();
    }

    /** The verify tree: intact, altered, unlabelled, unsupported, corrupt files, nested, plus hidden ones. */
    private void labelledTree() throws Exception {
        sources();
        run("label", "-r", tree.toString());
        Path c = tree.resolve("img/deep/c.labelled.md");
        Files.writeString(c, Files.readString(c).replace("spring morning", "autumn evening"));
        // Labelled text copied without its sidecar: unlabelled, but the log knows its hash.
        write("copy.txt", Files.readAllBytes(tree.resolve("t.labelled.txt")));
    }

    @Test
    void verifyWalksATreeOneLinePerFileInPathOrderAndExitsWithTheWorst() throws Exception {
        labelledTree();

        assertThat(run("verify", "-r", tree.toString())).as(err).isEqualTo(ExitCodes.BAD_INPUT);

        List<String> lines = lines();
        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).matches(java.util.regex.Pattern.quote(p("a.labelled.md") + ": INTACT  log entry ") + "\\d+");
        assertThat(lines.get(1)).isEqualTo(p("a.md") + ": UNLABELLED  no label");
        assertThat(lines.get(2)).startsWith(p("broken.docx") + ": INVALID  ").contains("broken.docx");
        String textEntry = lines.get(9).replaceAll(".*log entry ", "");
        assertThat(lines.get(3)).isEqualTo(p("copy.txt") + ": UNLABELLED  no label, but the log knows this exact content (entry "
                + textEntry + ")");
        assertThat(lines.get(4)).startsWith(p("img/b.labelled.png") + ": INTACT  log entry ");
        assertThat(lines.get(5)).isEqualTo(p("img/b.png") + ": UNLABELLED  no label");
        assertThat(lines.get(6)).startsWith(p("img/deep/c.labelled.md") + ": ALTERED  changed since log entry ");
        assertThat(lines.get(7)).isEqualTo(p("img/deep/c.md") + ": UNLABELLED  no label");
        assertThat(lines.get(8)).startsWith(p("notes.xyz") + ": UNSUPPORTED  unknown format");
        assertThat(lines.get(9)).isEqualTo(p("t.labelled.txt") + ": INTACT  log entry " + textEntry);
        assertThat(textEntry).matches("\\d+");
        assertThat(lines.get(10)).isEqualTo(p("t.txt") + ": UNLABELLED  no label");
        assertThat(lines.get(11)).isEqualTo("11 files: intact 3, unlabelled 5, altered 1, invalid 1, unsupported 1 (exit 3)");
        assertThat(out).doesNotContain("hidden", ".h.md", "aigc.json", "alias", "x.md");
        assertThat(dir.resolve("outside/x.labelled.md")).doesNotExist();
        // A link named on the command line is the user's choice: it is followed.
        assertThat(run("verify", p("alias.md"), p("img/out/x.md"))).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(lines()).hasSize(3);
        assertThat(err).isEmpty();

        // Without the bad files the worst verdict decides: altered outranks unlabelled and intact.
        assertThat(run("verify", p("a.md"), p("img/deep/c.labelled.md"), p("a.labelled.md"))).isEqualTo(ExitCodes.ALTERED);
        assertThat(lines()).hasSize(4).last().isEqualTo("3 files: intact 1, unlabelled 1, altered 1 (exit 10)");
        assertThat(run("verify", p("a.md"), p("a.labelled.md"))).isEqualTo(ExitCodes.UNLABELLED);
        // A missing file is that file's error; the others are still verified.
        assertThat(run("verify", p("gone.md"), p("a.labelled.md"))).isEqualTo(ExitCodes.IO);
        assertThat(lines()).containsExactly(p("a.labelled.md") + ": INTACT  log entry " + lines().get(0).replaceAll(".*entry ", ""),
                p("gone.md") + ": ERROR  no such file: " + p("gone.md"), "2 files: intact 1, error 1 (exit 4)");
    }

    @Test
    void aQuotedGlobIsExpandedHereAndDoubleStarSpansZeroOrMoreDirectories() throws Exception {
        labelledTree();

        assertThat(run("verify", tree + "/**/*.labelled.*")).isEqualTo(ExitCodes.ALTERED);

        assertThat(lines()).hasSize(5);
        assertThat(lines().subList(0, 4)).extracting(l -> l.substring(0, l.indexOf(": ")))
                .containsExactly(p("a.labelled.md"), p("img/b.labelled.png"), p("img/deep/c.labelled.md"), p("t.labelled.txt"));
        assertThat(run("verify", tree + "/img/*.png")).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(lines()).hasSize(3).first().asString().startsWith(p("img/b.labelled.png") + ": INTACT");

        assertThat(run("verify", tree + "/**/*.gif")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("no file matches " + tree + "/**/*.gif");
        assertThat(Inputs.variants("a/**/b/**/*.md")).containsExactlyInAnyOrder("a/**/b/**/*.md", "a/b/**/*.md",
                "a/**/b/*.md", "a/b/*.md");
    }

    @Test
    void aDirectoryNeedsRecursiveAndTheSameResultsComeInTheSameOrderWhateverTheJobs() throws Exception {
        labelledTree();

        assertThat(run("verify", tree.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains(tree + " is a directory: add -r");
        assertThat(run("label", p("a.md"), tree.resolve("img").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains(tree.resolve("img") + " is a directory: add -r");

        assertThat(run("verify", "-r", "-j", "1", tree.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        String serial = out;
        assertThat(run("verify", "-r", "--jobs", "8", tree.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(out).isEqualTo(serial);
        assertThat(run("verify", "-r", "-j", "0", tree.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run("verify", "-r", "--sidecar", p("t.labelled.txt.aigc.json"), tree.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--sidecar names the sidecar of one FILE");
    }

    @Test
    void jsonLinesGiveOneObjectPerFileThenASummary() throws Exception {
        labelledTree();

        assertThat(run("verify", "-r", tree.toString(), "--json")).isEqualTo(ExitCodes.BAD_INPUT);

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines()) {
            objects.add(mapper.readTree(line));
        }
        assertThat(objects).hasSize(12);
        assertThat(objects.subList(0, 11)).allSatisfy(o -> assertThat(o.get("type").asText()).isEqualTo("file"));
        JsonNode intact = objects.get(0);
        assertThat(intact.get("path").asText()).isEqualTo(p("a.labelled.md"));
        assertThat(intact.get("outcome").asText()).isEqualTo("intact");
        assertThat(intact.get("verdict").asText()).isEqualTo("intact");
        assertThat(intact.get("exitCode").asInt()).isZero();
        assertThat(intact.at("/log/record/contentId").asText()).hasSize(26);
        JsonNode altered = objects.get(6);
        assertThat(altered.get("verdict").asText()).isEqualTo("altered");
        assertThat(altered.get("exitCode").asInt()).isEqualTo(ExitCodes.ALTERED);
        JsonNode unsupported = objects.get(8);
        assertThat(unsupported.get("path").asText()).isEqualTo(p("notes.xyz"));
        assertThat(unsupported.at("/error/code").asText()).isEqualTo("unsupported_format");
        assertThat(unsupported.at("/error/message").asText()).contains("unknown format");
        assertThat(objects.get(2).at("/error/code").asText()).isEqualTo("invalid_file");
        JsonNode summary = objects.get(11);
        assertThat(summary.get("type").asText()).isEqualTo("summary");
        assertThat(summary.get("files").asInt()).isEqualTo(11);
        assertThat(summary.at("/outcomes/intact").asInt()).isEqualTo(3);
        assertThat(summary.at("/outcomes/unlabelled").asInt()).isEqualTo(5);
        assertThat(summary.get("exitCode").asInt()).isEqualTo(ExitCodes.BAD_INPUT);

        // The one-file report is unchanged: one JSON object, no path or type added.
        assertThat(run("verify", p("a.labelled.md"), "--json")).isZero();
        assertThat(mapper.readTree(out).has("type")).isFalse();
        assertThat(mapper.readTree(out).get("verdict").asText()).isEqualTo("intact");
    }

    @Test
    void labelIntoAnOutputDirectoryMirrorsPathsAndNeverReplacesAnInput() throws Exception {
        sources();
        Files.delete(tree.resolve("notes.xyz"));
        Files.delete(tree.resolve("broken.docx"));
        Path published = Files.createDirectories(dir.resolve("published"));

        assertThat(run("label", "-r", tree.toString(), "-o", published.toString(), "--json")).as(out + err).isZero();

        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines()) {
            objects.add(new ObjectMapper().readTree(line));
        }
        assertThat(objects).hasSize(5);
        assertThat(objects.get(0).get("output").asText()).isEqualTo(published.resolve("tree/a.md").toString());
        assertThat(objects.get(2).get("output").asText()).isEqualTo(published.resolve("tree/img/deep/c.md").toString());
        assertThat(objects.get(3).get("sidecar").asText()).isEqualTo(published.resolve("tree/t.txt.aigc.json").toString());
        assertThat(objects.get(4).at("/outcomes/labelled").asInt()).isEqualTo(4);
        assertThat(run("verify", "-r", published.toString())).as(out).isZero();
        assertThat(lines().getLast()).isEqualTo("4 files: intact 4 (exit 0)");
        assertThat(tree.resolve("a.labelled.md")).doesNotExist();

        // Outputs that would land on the inputs are refused, and nothing is logged for them.
        long entries = logEntries();
        String original = Files.readString(tree.resolve("a.md"));
        assertThat(run("label", "-r", tree.toString(), "-o", dir.toString(), "--force")).isEqualTo(ExitCodes.IO);
        assertThat(out).contains(p("a.md") + ": ERROR  would replace the input " + p("a.md"));
        assertThat(lines().getLast()).isEqualTo("4 files: error 4 (exit 4)");
        assertThat(Files.readString(tree.resolve("a.md"))).isEqualTo(original);
        assertThat(logEntries()).isEqualTo(entries);

        // -o must be an existing directory; two inputs may not share an output.
        assertThat(run("label", p("a.md"), p("img/deep/c.md"), "-o", dir.resolve("nowhere").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("-o names an existing directory");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("a.md"), "# another A\n");
        assertThat(run("label", p("a.md"), other.resolve("a.md").toString(), "-o", published.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("would both be written to " + published.resolve("a.md"));
        assertThat(logEntries()).isEqualTo(entries);
    }

    private long logEntries() throws Exception {
        assertThat(run("log", "verify", "--json")).isZero();
        return new ObjectMapper().readTree(out).get("entries").asLong();
    }

    @Test
    void aTerminalSeesProgressOnStderrClearedAtTheEndAndPipesSeeNone() throws Exception {
        labelledTree();
        env = Map.of("YUANJIAN_HOME", dir.resolve("home").toString(), "COLUMNS", "1000");

        run(true, "verify", p("a.labelled.md"), p("img/b.labelled.png"), p("t.labelled.txt"));

        assertThat(err).contains("[1/3] " + p("a.labelled.md"), "[3/3] " + p("t.labelled.txt")).endsWith("\r\033[K");
        assertThat(out).doesNotContain("\033").doesNotContain("[1/3]");
        run(true, "verify", p("a.labelled.md"), p("t.labelled.txt"), "--json");
        assertThat(err).isEmpty();
        run(false, "verify", p("a.labelled.md"), p("t.labelled.txt"));
        assertThat(err).isEmpty();
    }

    @Test
    void theExitCodeOrderPutsErrorsBeforeVerdictsAndForgeryFirstAmongThem() {
        int[] worstFirst = {ExitCodes.INTERNAL, ExitCodes.IO, ExitCodes.BAD_INPUT, ExitCodes.FORGED, ExitCodes.ALTERED,
                ExitCodes.LABELLED_ELSEWHERE, ExitCodes.UNLABELLED, ExitCodes.OK};
        for (int i = 0; i < worstFirst.length; i++) {
            for (int j = i; j < worstFirst.length; j++) {
                assertThat(ExitCodes.worst(worstFirst[i], worstFirst[j])).isEqualTo(worstFirst[i]);
                assertThat(ExitCodes.worst(worstFirst[j], worstFirst[i])).isEqualTo(worstFirst[i]);
            }
        }
    }
}
