package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files too large to read whole are refused by size before they are read (sparse files: nothing is
 * allocated, on disk or in memory), each as its own line among many; the files read at once share
 * a memory budget smaller than some of them and all still get their line.
 */
class LargeFilesTest {
    @TempDir
    Path dir;
    Path tree;
    String out;
    String err;

    @BeforeEach
    void tree() throws Exception {
        tree = Files.createDirectories(dir.resolve("t"));
    }

    private int run(InputLimits limits, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Main main = new Main(Map.of("YUANJIAN_HOME", dir.resolve("home").toString()), new PrintWriter(o),
                new PrintWriter(e), List.of(), false, limits);
        int code = Main.run(main, args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private int run(String... args) {
        return run(InputLimits.forHeap(Runtime.getRuntime().maxMemory()), args);
    }

    private static Path sparse(Path file, long bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }

    @Test
    void aFileOverTheLimitIsItsOwnLineAndTheOthersGoOn() throws Exception {
        sparse(tree.resolve("big.md"), 5L << 30);
        Files.writeString(tree.resolve("a.md"), "# A\n\ntext\n");

        assertThat(run("verify", "-r", tree.toString())).as(out + err).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(out.lines().toList()).hasSize(3);
        assertThat(out).contains(tree.resolve("a.md") + ": UNLABELLED")
                .contains(tree.resolve("big.md") + ": ERROR  " + tree.resolve("big.md") + " is 5.0 GiB, more than the "
                        + InputLimits.human(InputLimits.forHeap(Runtime.getRuntime().maxMemory()).maxInputBytes()))
                .contains("-Xmx").contains("2 files: unlabelled 1, error 1 (exit 3)");
        assertThat(err).isEmpty();

        assertThat(run("verify", "-r", tree.toString(), "--json")).isEqualTo(ExitCodes.BAD_INPUT);
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = out.lines().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).at("/error/code").asText()).isEqualTo("too_large");
        assertThat(lines.get(1).get("exitCode").asInt()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(lines.get(2).get("type").asText()).isEqualTo("summary");

        assertThat(run("label", "-r", tree.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(out).contains(tree.resolve("a.md") + ": LABELLED").contains("big.md: ERROR");
        assertThat(tree.resolve("big.labelled.md")).doesNotExist();
    }

    @Test
    void oneFileOverTheLimitIsOneLineAndExit3() throws Exception {
        Path big = sparse(dir.resolve("big.png"), 1900L << 20);
        InputLimits small = new InputLimits(1 << 20, 4 << 20);
        for (String command : List.of("verify", "label", "propagate")) {
            assertThat(run(small, command, big.toString())).as(command + ": " + err).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err.lines().toList()).as(command).hasSize(1);
            assertThat(err).startsWith("yuanjian: " + big + " is 1.9 GiB, more than the 1.0 MiB")
                    .doesNotContain("Exception");
        }
        assertThat(dir.resolve("big.labelled.png")).doesNotExist();
        // The sidecar is read under the same limit.
        Path text = Files.writeString(dir.resolve("s.txt"), "text\n");
        sparse(dir.resolve("s.txt.aigc.json"), 2L << 20);
        assertThat(run(small, "verify", text.toString())).as(err).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("s.txt.aigc.json is 2.0 MiB");
    }

    @Test
    void aDeviceWithoutEndIsCutAtTheLimit() throws Exception {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "no /dev/zero here");
        assertThat(run(new InputLimits(1 << 20, 4 << 20), "verify", zero.toString())).as(err).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("/dev/zero gives more than 1.0 MiB");
    }

    @Test
    void filesLargerThanTheBudgetAllGetTheirLine() throws Exception {
        // A 64 KiB budget: each 100 KiB file takes it whole, so the four workers take turns.
        for (int i = 0; i < 8; i++) {
            Files.writeString(tree.resolve("f" + i + ".md"), "# F" + i + "\n\n" + "word ".repeat(20_000) + "\n");
        }
        InputLimits tight = new InputLimits(1 << 20, 64 << 10);
        Path labelled = Files.createDirectories(dir.resolve("labelled"));
        assertThat(run(tight, "label", "-r", tree.toString(), "-o", labelled.toString(), "-j", "4")).as(out + err).isZero();
        assertThat(out).contains("8 files: labelled 8 (exit 0)");
        assertThat(run(tight, "verify", "-r", labelled.toString(), "-j", "4")).as(out + err).isZero();
        assertThat(out).contains("8 files: intact 8 (exit 0)");
    }

    /**
     * A file within the size limit that still outgrows a very small heap (-Xmx32m allows 8 MiB files;
     * labelling 7 MiB of Markdown needs more) is that file's refusal, exit 3, not a crash: in a run of
     * many files and alone. Needs its own JVM for the small heap.
     */
    @Test
    void aFileThatOutgrowsASmallHeapIsRefusedNotACrash() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        String body = "# t\n\n" + "a".repeat(7 << 20) + "\n";
        Files.writeString(small.resolve("g1.md"), body);
        Files.writeString(small.resolve("g2.md"), body);
        Files.createDirectories(dir.resolve("out"));

        Process many = smallHeap("label", "-r", small.toString(), "-o", dir.resolve("out").toString());
        String manyOut = new String(many.getInputStream().readAllBytes());
        assertThat(many.waitFor()).as(manyOut).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(manyOut).contains("needs more memory than Java's heap").contains("2 files")
                .doesNotContain("Exception in thread").doesNotContain("internal error");
        try (var left = Files.list(dir.resolve("out"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("no partial outputs").isEmpty();
        }

        Process one = smallHeap("label", small.resolve("g1.md").toString(), "-o", dir.resolve("g1.md").toString());
        String oneOut = new String(one.getInputStream().readAllBytes());
        assertThat(one.waitFor()).as(oneOut).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(oneOut).contains("needs more memory than Java's heap").doesNotContain("Exception in thread");
        assertThat(dir.resolve("g1.md")).doesNotExist();
    }

    private Process smallHeap(String... args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("YUANJIAN_HOME", dir.resolve("home-small").toString());
        return builder.start();
    }
}
