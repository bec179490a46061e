package dev.yuanjian.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The training run from which the {@code ./yuanjian} launcher builds the JDK's AOT cache
 * ({@code cli/target/yuanjian.aot}, JEP 483/514): the commands users run most (label, verify of a
 * labelled, an altered and an unlabelled file, the log's proof and audit), on a PNG and a Markdown
 * file made here, in a throwaway data directory under {@code java.io.tmpdir} that is deleted
 * afterwards. The JVM records which classes these load and link; later runs start with them ready.
 *
 * <p>Never touches the user's {@code YUANJIAN_HOME}: the commands see only the environment built
 * here. Run by the launcher as {@code java -XX:AOTCacheOutput=... -cp yuanjian.jar
 * dev.yuanjian.cli.AotTraining}; exit 0 when every command gave the exit code expected of it.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("yuanjian-aot-training");
        int failures;
        try (PrintWriter sink = new PrintWriter(Writer.nullWriter())) {
            failures = train(work, sink);
        } finally {
            deleteTree(work);
        }
        System.exit(failures == 0 ? ExitCodes.OK : ExitCodes.INTERNAL);
    }

    /**
     * Runs the training commands with {@code work} as their scratch space; prints their output to
     * {@code out} and returns how many ended with another exit code than expected.
     */
    static int train(Path work, PrintWriter out) throws IOException {
        Map<String, String> env = Map.of("YUANJIAN_HOME", work.resolve("home").toString());
        Map<String, String> fresh = Map.of("YUANJIAN_HOME", work.resolve("fresh-home").toString());
        Path png = work.resolve("picture.png");
        ImageIO.write(new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Path md = Files.writeString(work.resolve("report.md"), "# 季度报告\n\n本季度销售增长百分之十二。\n",
                StandardCharsets.UTF_8);
        Path labelledPng = work.resolve("picture.labelled.png");
        Path labelledMd = work.resolve("report.labelled.md");
        int failures = 0;
        failures += expect(ExitCodes.OK, env, out, "label", png.toString(), "-o", labelledPng.toString());
        failures += expect(ExitCodes.OK, env, out, "label", md.toString(), "-o", labelledMd.toString());
        failures += expect(ExitCodes.OK, env, out, "verify", labelledPng.toString());
        failures += expect(ExitCodes.OK, env, out, "verify", "--json", labelledMd.toString());
        failures += expect(ExitCodes.UNLABELLED, env, out, "verify", png.toString());
        // Many files: the worker pool, the per-file lines and JSON Lines of `verify -r`.
        Path tree = Files.createDirectories(work.resolve("tree/nested"));
        for (int i = 0; i < 16; i++) {
            Files.copy(labelledPng, (i % 2 == 0 ? tree : tree.getParent()).resolve("copy-" + i + ".png"));
        }
        failures += expect(ExitCodes.OK, env, out, "verify", "-r", tree.getParent().toString());
        failures += expect(ExitCodes.OK, env, out, "verify", "-r", "--json", tree.getParent().toString());
        Files.writeString(labelledMd, Files.readString(labelledMd, StandardCharsets.UTF_8).replace("十二", "二十"),
                StandardCharsets.UTF_8);
        failures += expect(ExitCodes.ALTERED, env, out, "verify", labelledMd.toString());
        failures += expect(ExitCodes.OK, env, out, "log", "proof", "0");
        failures += expect(ExitCodes.OK, env, out, "log", "verify");
        failures += expect(ExitCodes.FORGED, fresh, out, "verify", labelledPng.toString());
        return failures;
    }

    private static int expect(int code, Map<String, String> env, PrintWriter out, String... args) {
        int actual = Main.run(env, out, out, args);
        if (actual != code) {
            out.printf("training: %s exited %d, expected %d%n", String.join(" ", args), actual, code);
        }
        return actual == code ? 0 : 1;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
