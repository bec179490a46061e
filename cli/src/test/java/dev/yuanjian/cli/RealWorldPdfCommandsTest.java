package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.PdfFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuanjian label} and {@code verify} on encrypted and damaged PDFs: the notice line and the exit codes. */
class RealWorldPdfCommandsTest {
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

    private static byte[] pages() {
        return ContainerFixtures.pdf(PdfFixtures.PAGES, false);
    }

    @Test
    void aDamagedPdfIsLabelledAndTheOutputSaysItWasRepaired() throws Exception {
        Path in = Files.write(dir.resolve("d.pdf"), PdfFixtures.damaged(pages(), PdfFixtures.Damage.WRONG_TABLE_OFFSETS));
        Path labelled = dir.resolve("d.labelled.pdf");
        assertThat(run("label", in.toString(), "-o", labelled.toString())).as(err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("  notice         The PDF was damaged").contains("repaired");
        assertThat(run("verify", labelled.toString())).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(run("verify", in.toString())).isEqualTo(ExitCodes.UNLABELLED);
        assertThat(out).contains("The PDF is damaged");
    }

    @Test
    void lockedAndPasswordProtectedPdfsAreBadInput() throws Exception {
        Path locked = Files.write(dir.resolve("locked.pdf"),
                PdfFixtures.encrypted(pages(), PdfFixtures.Cipher.AES_256, "", false));
        Path target = dir.resolve("locked.labelled.pdf");
        assertThat(run("label", locked.toString(), "-o", target.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("permissions do not allow changing it");
        assertThat(target).doesNotExist();
        assertThat(run("verify", locked.toString())).as(err).isEqualTo(ExitCodes.UNLABELLED);

        Path secret = Files.write(dir.resolve("secret.pdf"),
                PdfFixtures.encrypted(pages(), PdfFixtures.Cipher.AES_128, "pw", true));
        assertThat(run("verify", secret.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("needs a password to open");
    }
}
