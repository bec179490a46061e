package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names with control characters (a newline, a tab, an ANSI escape sequence, a right-to-left
 * override) never reach the terminal raw: each file keeps one line, escaped, and JSON keeps the
 * name exact.
 */
class ControlCharacterNamesTest {
    static final List<String> NAMES = List.of("new\nline.md", "tab\there.md", "red\u001b[31mALERT\u001b[0m.md",
            "bell\u0007cr\r.md", "evil\u202Edm.txt.md");

    @TempDir
    Path dir;
    Path tree;
    String out;
    String err;

    @BeforeEach
    void files() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        for (String name : NAMES) {
            Files.writeString(tree.resolve(name), "# title\n\ntext\n");
        }
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new Main(Map.of("YUANJIAN_HOME", dir.resolve("home").toString()), new PrintWriter(o),
                new PrintWriter(e), List.of()), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static void noRawControl(String text) {
        assertThat(text.replace("\n", "").chars().filter(c -> c < 0x20 || c == 0x7f || c == 0x202e).boxed().toList())
                .as("control characters printed raw in:\n" + text).isEmpty();
    }

    @Test
    void verifyAndLabelPrintOneEscapedLinePerFile() throws Exception {
        assertThat(run("verify", "-r", tree.toString())).as(err).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(out.lines().toList()).hasSize(NAMES.size() + 1);
        assertThat(out.lines().limit(NAMES.size())).allMatch(l -> l.startsWith(tree + "/") && l.contains(": UNLABELLED"));
        assertThat(out).contains(tree.resolve("new\\nline.md") + ": UNLABELLED", "tab\\there.md", "red\\x1b[31mALERT\\x1b[0m.md",
                "bell\\x07cr\\r.md", "evil\\u202edm.txt.md");
        noRawControl(out);

        assertThat(run("label", "-r", tree.toString())).as(out + err).isZero();
        assertThat(out.lines().toList()).hasSize(NAMES.size() + 1);
        assertThat(out).contains("-> " + tree.resolve("new\\nline.labelled.md"));
        noRawControl(out);
        assertThat(tree.resolve("new\nline.labelled.md")).as("the file itself keeps its name").exists();

        for (String name : NAMES) {
            assertThat(run("verify", tree.resolve(name).toString())).as(err).isEqualTo(ExitCodes.UNLABELLED);
            noRawControl(out);
            assertThat(run("label", tree.resolve(name).toString(), "--force")).as(err).isZero();
            noRawControl(out);
        }
    }

    @Test
    void errorsQuotingANameEscapeIt() throws Exception {
        assertThat(run("verify", tree.resolve("missing\n\u001bc.md").toString())).as(err).isEqualTo(ExitCodes.IO);
        assertThat(err.lines().toList()).hasSize(1);
        assertThat(err).contains("missing\\n\\x1bc.md");
        noRawControl(err);
        // With a glob character the name is taken for a glob; matching nothing is still one escaped line.
        assertThat(run("verify", tree.resolve("missing\n\u001b[2J.md").toString())).as(err).isEqualTo(ExitCodes.USAGE);
        assertThat(err.lines().toList()).hasSize(1);
        noRawControl(err);
    }

    @Test
    void jsonKeepsTheExactNames() throws Exception {
        assertThat(run("verify", "-r", tree.toString(), "--json")).as(err).isEqualTo(ExitCodes.UNLABELLED);
        ObjectMapper mapper = new ObjectMapper();
        Set<String> paths = out.lines().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(n -> n.get("type").asText().equals("file")).map(n -> n.get("path").asText()).collect(Collectors.toSet());
        assertThat(paths).isEqualTo(NAMES.stream().map(n -> tree.resolve(n).toString()).collect(Collectors.toSet()));
    }

    @Test
    void escapeLeavesOrdinaryTextAlone() {
        assertThat(Escape.of("报告/春天 report (1).md")).isEqualTo("报告/春天 report (1).md");
        assertThat(Escape.of("a\u0000b\u007fc\u0085d\u2028e")).isEqualTo("a\\x00b\\x7fc\\x85d\\u2028e");
    }

    /** A name with a backslash and an n must not print as the name with a newline does. */
    @Test
    void aLiteralBackslashIsEscapedToo() {
        assertThat(Escape.of("new\\nline.md")).isEqualTo("new\\\\nline.md");
        assertThat(Escape.of("new\nline.md")).isEqualTo("new\\nline.md");
        assertThat(Escape.of("new\\nline.md")).isNotEqualTo(Escape.of("new\nline.md"));
    }
}
