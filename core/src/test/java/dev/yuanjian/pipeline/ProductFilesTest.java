package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.Mutations;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.PdfFixtures;
import dev.yuanjian.container.WebpFixtures;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.ExternalTools;
import dev.yuanjian.verify.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole product on every format: files labelled through the pipeline are read by ExifTool,
 * and damaged copies of them make label and verify fail only with {@link FormatException}, with
 * nothing logged for a refused file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductFilesTest {
    Yuanjian app;
    Path dir;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        this.dir = dir;
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    Stream<Arguments> files() {
        return Stream.of(
                Arguments.of(Asset.of("a.md", "---\ntitle: t\n---\n正文。\n".getBytes(StandardCharsets.UTF_8)), 300),
                // Issue 9: a leading block that is not YAML, TOML and JSON front matter, Strict and .docm.
                Arguments.of(Asset.of("rule.md", "---\nFoo\n---\nBar".getBytes(StandardCharsets.UTF_8)), 200),
                Arguments.of(Asset.of("toml.md", "+++\ntitle = \"t\"\n[p]\nx = 1\n+++\n正文。\n".getBytes(StandardCharsets.UTF_8)), 200),
                Arguments.of(Asset.of("json.md", "{\n  \"title\": \"t\"\n}\n正文。\n".getBytes(StandardCharsets.UTF_8)), 200),
                Arguments.of(Asset.of("a.docx", ContainerFixtures.docx(List.of("text", "more text"), null)), 200),
                Arguments.of(Asset.of("strict.docx", ContainerFixtures.strictDocx(List.of("text"), null)), 100),
                Arguments.of(Asset.of("macros.docm", ContainerFixtures.docm(List.of("text"),
                        ContainerFixtures.customXml(ContainerFixtures.customProperty(2, "Client", "ACME")))), 100),
                Arguments.of(Asset.of("a.pdf", ContainerFixtures.pdf(List.of("text"), false)), 100),
                Arguments.of(Asset.of("b.pdf", ContainerFixtures.pdf(List.of("text"), true)), 100),
                Arguments.of(Asset.of("rc4.pdf", encrypted(PdfFixtures.Cipher.RC4_128)), 50),
                Arguments.of(Asset.of("aes128.pdf", encrypted(PdfFixtures.Cipher.AES_128)), 50),
                Arguments.of(Asset.of("aes256.pdf", encrypted(PdfFixtures.Cipher.AES_256)), 50),
                Arguments.of(Asset.of("a.png", ImageFixtures.png(48, 32)), 200),
                Arguments.of(Asset.of("a.jpg", ImageFixtures.jpeg(48, 32)), 200),
                Arguments.of(Asset.of("a.webp", WebpFixtures.lossless(48, 32)), 300));
    }

    /** Opens with the empty user password and allows changes: labelled with its strings encrypted. */
    private static byte[] encrypted(PdfFixtures.Cipher cipher) {
        return PdfFixtures.encrypted(ContainerFixtures.pdf(List.of("text"), false), cipher, "", true);
    }

    private Pipeline.Result label(Asset asset) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(asset, Set.of(), "m", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void damagedFilesFailOnlyWithFormatExceptionAndLogNothing(Asset original, int rounds) throws Exception {
        byte[] good = label(original).labelled().bytes();
        Random random = new Random(17);
        for (int round = 0; round < rounds; round++) {
            Asset bad = Asset.of(original.name(), Mutations.mutate(good, random));
            Mutations.onlyFormatException(() -> app.verifier().verify(bad), round);
            if (round % 5 == 0) {
                long before = app.log().size();
                try {
                    label(bad);
                } catch (FormatException refused) {
                    assertThat(app.log().size()).as("round %d: a refused file was logged", round).isEqualTo(before);
                } catch (RuntimeException e) {
                    throw new AssertionError("round " + round + ": " + e, e);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void exiftoolReadsTheLabelOfEveryFormatItCanRead(Asset original, int rounds) throws Exception {
        if (original.name().endsWith(".md")) {
            return; // ExifTool does not read Markdown front matter
        }
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        Pipeline.Result result = label(original);
        assertThat(app.verifier().verify(result.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);
        Path file = Files.write(dir.resolve("out-" + original.name()), result.labelled().bytes());
        Path config = ExternalTools.exiftoolTc260Config(dir);
        Process p = new ProcessBuilder(exiftool.toString(), "-config", config.toString(), "-j", "-AIGC", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode read = JsonViews.mapper().readTree(out).get(0);
        String aigc = read.path("AIGC").asText();
        assertThat(aigc).as(out).contains("\"ProduceID\":\"" + result.contentId() + "\"")
                .contains(result.label().reservedCode1());
    }
}
