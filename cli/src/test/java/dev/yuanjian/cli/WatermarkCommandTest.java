package dev.yuanjian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.watermark.SyntheticPhotos;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuanjian watermark detect} and verify's traced verdict, as a user runs them. */
class WatermarkCommandTest {
    @TempDir
    Path dir;
    String out;
    String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(Map.of("YUANJIAN_HOME", dir.resolve("home").toString()), new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void detectsAndTracesAStrippedCopy() throws Exception {
        Path photo = dir.resolve("photo.jpg");
        ImageIO.write(SyntheticPhotos.photo(900, 600, 21), "jpeg", photo.toFile());
        Path labelled = dir.resolve("photo.labelled.jpg");
        assertThat(run("label", photo.toString(), "-o", labelled.toString(), "--json")).as(err).isEqualTo(ExitCodes.OK);
        long index = new ObjectMapper().readTree(out).get("logIndex").asLong();

        // Strip every metadata block and shrink it, as a platform would.
        BufferedImage pixels = ImageIO.read(labelled.toFile());
        Path upload = dir.resolve("upload.jpg");
        ImageIO.write(SyntheticPhotos.jpeg(SyntheticPhotos.resize(pixels, 0.6), 0.7f), "jpeg", upload.toFile());

        assertThat(run("watermark", "detect", upload.toString())).as(out + err).isEqualTo(ExitCodes.OK);
        assertThat(out).contains("WATERMARKED").contains("log entry       " + index);
        assertThat(run("watermark", "detect", upload.toString(), "--json")).isEqualTo(ExitCodes.OK);
        var json = new ObjectMapper().readTree(out);
        assertThat(json.at("/watermark/found").asBoolean()).isTrue();
        assertThat(json.at("/logEntries/0/index").asLong()).isEqualTo(index);

        assertThat(run("verify", upload.toString())).as(out + err).isEqualTo(ExitCodes.TRACED);
        assertThat(out).contains("TRACED").contains("watermark");

        assertThat(run("watermark", "detect", photo.toString())).as(out + err).isEqualTo(ExitCodes.NO_WATERMARK);
        assertThat(out).contains("NO WATERMARK");
        Path text = Files.writeString(dir.resolve("a.md"), "# hi\n");
        assertThat(run("watermark", "detect", text.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("PNG, JPEG or WebP");
    }
}
