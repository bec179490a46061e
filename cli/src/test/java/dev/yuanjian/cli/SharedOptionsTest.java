package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options several commands share come from one mixin each, and every command still offers them. */
class SharedOptionsTest {
    @TempDir
    Path dir;

    private static CommandLine command(String... path) {
        CommandLine line = new CommandLine(new Main(Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), List.of()));
        for (String name : path) {
            line = line.getSubcommands().get(name);
        }
        return line;
    }

    private static void assertOptions(CommandLine command, String... names) {
        for (String name : names) {
            assertThat(command.getCommandSpec().findOption(name)).as(command.getCommandName() + " " + name).isNotNull();
            assertThat(command.getUsageMessage()).as(command.getCommandName()).contains(name);
        }
    }

    @Test
    void everyCommandStillOffersItsSharedOptions() {
        for (String[] path : List.of(new String[] {"label"}, new String[] {"propagate"}, new String[] {"verify"},
                new String[] {"generate"}, new String[] {"log", "verify"}, new String[] {"log", "proof"},
                new String[] {"log", "checkpoint"}, new String[] {"keys", "create"}, new String[] {"keys", "list"})) {
            assertOptions(command(path), "--json");
        }
        for (String name : List.of("label", "propagate", "generate")) {
            assertOptions(command(name), "-o", "--output", "--force");
        }
        for (String name : List.of("propagate", "verify")) {
            assertOptions(command(name), "--sidecar");
        }
        for (String name : List.of("label", "verify")) {
            assertOptions(command(name), "-r", "--recursive", "-j", "--jobs");
        }
    }

    @Test
    void theDefaultOutputSitsBesideTheInputWithTheSuffixBeforeTheExtension() {
        assertThat(OutputOptions.beside(dir.resolve("report.md"), "labelled")).isEqualTo(dir.resolve("report.labelled.md"));
        assertThat(OutputOptions.beside(dir.resolve("a.b.docx"), "propagated")).isEqualTo(dir.resolve("a.b.propagated.docx"));
        assertThat(OutputOptions.beside(dir.resolve("README"), "labelled")).isEqualTo(dir.resolve("README.labelled"));
        assertThat(OutputOptions.beside(dir.resolve(".hidden"), "labelled")).isEqualTo(dir.resolve(".hidden.labelled"));
    }

    @Test
    void anExistingOutputIsKeptUnlessForced() throws Exception {
        Path existing = Files.writeString(dir.resolve("report.labelled.md"), "mine");
        OutputOptions plain = new OutputOptions();
        new CommandLine(plain).parseArgs();
        assertThatThrownBy(() -> plain.target(dir.resolve("report.md"), "labelled"))
                .hasMessage("already exists: " + existing + " (use --force to replace it)");
        OutputOptions forced = new OutputOptions();
        new CommandLine(forced).parseArgs("--force");
        assertThat(forced.target(dir.resolve("report.md"), "labelled")).isEqualTo(existing);
        assertThat(forced.given()).isEmpty();
    }

    private static final InputLimits LIMITS = new InputLimits(1 << 20, 1 << 20);

    @Test
    void theSidecarDefaultsToTheLabelFileBesideTheInput() throws Exception {
        Path text = Files.writeString(dir.resolve("poem.txt"), "text");
        SidecarOption option = new SidecarOption();
        new CommandLine(option).parseArgs();
        assertThat(option.read(text, LIMITS)).isEmpty();
        Files.writeString(dir.resolve("poem.txt.aigc.json"), "{}");
        assertThat(option.read(text, LIMITS)).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{}"));

        SidecarOption named = new SidecarOption();
        new CommandLine(named).parseArgs("--sidecar", dir.resolve("missing.json").toString());
        assertThatThrownBy(() -> named.read(text, LIMITS)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
