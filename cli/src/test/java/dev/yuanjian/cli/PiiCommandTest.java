package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.Extension;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.privacy.EmailRecognizer;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.Recognizer;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuanjian pii scan | mask | forget} as a user runs them, with a test-only e-mail recognizer. */
class PiiCommandTest {
    static final Extension EMAIL = new Extension() {
        @Override
        public List<Recognizer> recognizers(Context context) {
            return List.of(new EmailRecognizer());
        }
    };
    static final String TEXT = "请联系 zhang.san@example.com 或 li.si@example.org，谢谢。\n";

    @TempDir
    Path dir;
    String out;
    String err;

    private Map<String, String> env() {
        return Map.of("YUANJIAN_HOME", dir.resolve("home").toString());
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(env(), List.of(EMAIL), new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private int runWithInput(byte[] input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void scanListsKindsAndOffsetsButNotValues() throws Exception {
        Path file = Files.writeString(dir.resolve("prompt.txt"), TEXT);
        assertThat(run("pii", "scan", file.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("2 entities").contains("EMAIL_ADDRESS").contains("4-25").contains("  email")
                .doesNotContain("zhang.san", "li.si");
        assertThat(run("pii", "scan", file.toString(), "--json")).isEqualTo(ExitCodes.OK);
        var json = new ObjectMapper().readTree(out);
        assertThat(json.at("/entities/0/type").asText()).isEqualTo("EMAIL_ADDRESS");
        assertThat(json.at("/entities/0/start").asInt()).isEqualTo(TEXT.indexOf("zhang"));
        assertThat(json.at("/entities/1/end").asInt()).isEqualTo(TEXT.indexOf("，"));
        assertThat(json.at("/entities/0/value").isMissingNode()).isTrue();
        assertThat(runWithInput(TEXT.getBytes(StandardCharsets.UTF_8), "pii", "scan", "-", "--show-values"))
                .isEqualTo(ExitCodes.OK);
        assertThat(out).contains("zhang.san@example.com").contains("li.si@example.org");
    }

    @Test
    void maskWritesWholeFilesAndStandardOutputByPolicy() throws Exception {
        Path file = Files.writeString(dir.resolve("chat.txt"), TEXT);
        Path masked = dir.resolve("chat.masked.txt");
        assertThat(run("pii", "mask", file.toString(), "-o", masked.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(masked)).isEqualTo("请联系 [EMAIL_1] 或 [EMAIL_2]，谢谢。\n");
        assertThat(out).contains("2 masked").doesNotContain("zhang");

        assertThat(runWithInput(TEXT.getBytes(StandardCharsets.UTF_8), "pii", "mask", "-", "--policy",
                "EMAIL_ADDRESS=mask")).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).isEqualTo("请联系 z********@example.com 或 l****@example.org，谢谢。\n");
        assertThat(run("pii", "mask", file.toString(), "--policy", "EMAIL=hash")).isEqualTo(ExitCodes.OK);
        String hashed = out;
        assertThat(hashed).matches("(?s)请联系 <EMAIL:hmac:[0-9a-f]{16}> 或 <EMAIL:hmac:[0-9a-f]{16}>，谢谢。\n");
        assertThat(run("pii", "mask", file.toString(), "--policy", "EMAIL=hash")).isEqualTo(ExitCodes.OK);
        assertThat(out).as("keyed by the data directory's key: stable").isEqualTo(hashed);

        // config.yaml's default policy applies when --policy is not given.
        Files.writeString(dir.resolve("home/config.yaml"), "privacy:\n  policy:\n    default: drop\n");
        assertThat(run("pii", "mask", file.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out).isEqualTo("请联系  或 ，谢谢。\n");

        assertThat(run("pii", "mask", file.toString(), "--policy", "EMAIL=shred")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("unknown operator 'shred'");
    }

    @Test
    void maskOutputNeverReplacesAFileWithoutForceNorTheInputNorMakesDirectories() throws Exception {
        Path file = Files.writeString(dir.resolve("chat.txt"), TEXT);
        Path existing = Files.writeString(dir.resolve("kept.txt"), "mine");
        assertThat(run("pii", "mask", file.toString(), "-o", existing.toString())).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("already exists").contains("--force");
        assertThat(Files.readString(existing)).isEqualTo("mine");

        assertThat(run("pii", "mask", file.toString(), "-o", file.toString())).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("is the input file itself");
        assertThat(run("pii", "mask", file.toString(), "-o", file.toString(), "--force")).isEqualTo(ExitCodes.IO);
        assertThat(Files.readString(file)).as("the input is never replaced").isEqualTo(TEXT);
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), file);
        assertThat(run("pii", "mask", link.toString(), "-o", file.toString(), "--force")).isEqualTo(ExitCodes.IO);
        assertThat(Files.readString(file)).isEqualTo(TEXT);

        Path nested = dir.resolve("no/such/dir/out.txt");
        assertThat(run("pii", "mask", file.toString(), "-o", nested.toString())).isEqualTo(ExitCodes.IO);
        assertThat(err).contains("does not exist").contains("no" + java.io.File.separator + "such");
        assertThat(dir.resolve("no")).doesNotExist();

        assertThat(run("pii", "mask", file.toString(), "-o", existing.toString(), "--force")).as(err).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(existing)).isEqualTo("请联系 [EMAIL_1] 或 [EMAIL_2]，谢谢。\n");
    }

    @Test
    void badInputIsRefusedWithWhatAndWhere() throws Exception {
        Path gbk = dir.resolve("gbk.txt");
        Files.write(gbk, "联系".getBytes("GB18030"));
        assertThat(run("pii", "scan", gbk.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("is not UTF-8 text (invalid byte at offset 0)").contains("iconv");
        assertThat(run("pii", "mask", dir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("is a directory");
        // An invalid byte far into a large file: found with its offset, and no partial output is left.
        Path late = dir.resolve("late.txt");
        byte[] line = "mail zhang.san@example.com today\n".getBytes(StandardCharsets.UTF_8);
        try (var o = new java.io.BufferedOutputStream(Files.newOutputStream(late))) {
            for (int i = 0; i < 100_000; i++) {
                o.write(line);
            }
            o.write(0xFF);
        }
        Path target = dir.resolve("late.masked.txt");
        assertThat(run("pii", "mask", late.toString(), "-o", target.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("invalid byte at offset " + 100_000L * line.length);
        assertThat(target).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(run("pii", "scan", dir.resolve("missing.txt").toString())).isEqualTo(ExitCodes.IO);
        assertThat(run("pii", "forget", "--subject", "x", "--type", "SHOE_SIZE")).isEqualTo(ExitCodes.USAGE);
    }

    /** Larger than any one read: read a chunk at a time, one placeholder per person across chunks. */
    @Test
    void aLargeFileIsMaskedInChunksWithOnePlaceholderPerPerson() throws Exception {
        Path big = dir.resolve("big.txt");
        String lines = "第%d行：请联系 zhang.san@example.com 或 li.si@example.com。\n";
        long count = 0;
        try (var o = new java.io.BufferedWriter(Files.newBufferedWriter(big, StandardCharsets.UTF_8))) {
            for (int i = 0; count < 24L << 20; i++) {
                String l = String.format(lines, i);
                o.write(l);
                count += l.getBytes(StandardCharsets.UTF_8).length;
            }
            // One line longer than a chunk, with a value near its end.
            o.write("x ".repeat(TextChunks.MAX));
            o.write("wang.wu@example.com\n");
        }
        Path target = dir.resolve("big.masked.txt");
        assertThat(run("pii", "mask", big.toString(), "-o", target.toString())).isEqualTo(ExitCodes.OK);
        String masked = Files.readString(target);
        assertThat(masked).doesNotContain("@example.com").contains("请联系 [EMAIL_1] 或 [EMAIL_2]。")
                .doesNotContain("[EMAIL_4]").endsWith("x [EMAIL_3]\n");
        assertThat(run("pii", "scan", big.toString(), "--json")).isEqualTo(ExitCodes.OK);
        var entities = new ObjectMapper().readTree(out).get("entities");
        var lastOne = entities.get(entities.size() - 1);
        String text = Files.readString(big);
        assertThat(text.substring(lastOne.get("start").asInt(), lastOne.get("end").asInt())).isEqualTo("wang.wu@example.com");
    }

    @Test
    void forgetErasesTheSubjectAndNoOutputOrLogEverShowsAValue() throws Exception {
        String value = "zhang.san@example.com";
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        try {
            // The capture sees what the product's loggers write (else this test proves nothing).
            org.slf4j.LoggerFactory.getLogger("dev.yuanjian.cli.PiiCommandTest").info("capture probe");
            Placeholder p;
            try (Yuanjian app = Yuanjian.open(env(), List.of(EMAIL))) {
                var map = app.vault().open("local", "c");
                p = map.placeholderFor(EntityType.EMAIL_ADDRESS, value);
                map.flush(); // the request's masking is done: stored
            }
            Path file = Files.writeString(dir.resolve("p.txt"), TEXT);
            assertThat(run("pii", "scan", file.toString(), "--json")).isEqualTo(ExitCodes.OK);
            printed.append(out).append(err);
            assertThat(run("pii", "mask", file.toString())).isEqualTo(ExitCodes.OK);
            printed.append(out).append(err);
            assertThat(runWithInput((" ZHANG.SAN@example.com\n").getBytes(StandardCharsets.UTF_8), "pii", "forget",
                    "--subject", "-", "--type", "EMAIL_ADDRESS")).as(err).isEqualTo(ExitCodes.OK);
            printed.append(out).append(err);
            assertThat(out).contains("forgot 1 vault entries and 1 subject keys").contains("compacted");
            try (Yuanjian app = Yuanjian.open(env(), List.of(EMAIL))) {
                assertThat(app.vault().open("local", "c").originalOf(p)).isEmpty();
            }
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        String captured = logs.toString(StandardCharsets.UTF_8);
        assertThat(captured).contains("capture probe");
        assertThat(captured + printed).doesNotContain("zhang.san", "ZHANG.SAN", "li.si");
        byte[] db = Files.readAllBytes(Database.h2File(new Home(dir.resolve("home"))));
        assertThat(new String(db, StandardCharsets.ISO_8859_1)).doesNotContain("zhang.san", "ZHANG.SAN", "li.si");
    }
}
