package dev.yuanjian.container;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.SOURCE_TYPE;
import static dev.yuanjian.container.ImageFixtures.TRAINED_ALGORITHMIC_MEDIA;
import static dev.yuanjian.container.ImageFixtures.label;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.ExternalTools;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebP files that libwebp's own tools made (Debian {@code webp}: {@code cwebp}, {@code webpmux},
 * {@code img2webp} for an animation),
 * labelled by {@link WebpContainer} with a C2PA chunk after it, then checked by tools nobody here
 * wrote: {@code webpinfo} finds no error in the structure, {@code dwebp} decodes exactly the pixels
 * it decoded before, and ExifTool reads the TC260 label and still reads the Exif and ICC profile
 * that were there.
 */
class WebpToolsTest {
    private final WebpContainer webp = new WebpContainer();
    @TempDir
    Path dir;
    Path cwebp;
    Path dwebp;
    Path webpinfo;
    Path webpmux;
    Path img2webp;
    Path exiftool;

    @BeforeEach
    void tools() {
        cwebp = ExternalTools.require("cwebp", "webp", "/usr/bin/cwebp");
        dwebp = ExternalTools.require("dwebp", "webp", "/usr/bin/dwebp");
        webpinfo = ExternalTools.require("webpinfo", "webp", "/usr/bin/webpinfo");
        webpmux = ExternalTools.require("webpmux", "webp", "/usr/bin/webpmux");
        img2webp = ExternalTools.require("img2webp", "webp", "/usr/bin/img2webp");
        exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
    }

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("hand-made lossless", "none"),
                Arguments.of("cwebp lossy", "-q 75"),
                Arguments.of("cwebp lossless with alpha", "-lossless -exact"),
                Arguments.of("cwebp lossy with alpha, Exif and ICC (webpmux, exiftool)", "-q 60 -alpha_q 80"),
                Arguments.of("img2webp animation of two frames", "animation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void labelledFilesAreSoundToLibwebpAndExiftool(String what, String options) throws Exception {
        Path source = dir.resolve("source.webp");
        boolean animation = options.equals("animation");
        if (options.equals("none")) {
            Files.write(source, WebpFixtures.lossless(33, 17, 0xFF204060, false));
        } else if (animation) {
            Path first = Files.write(dir.resolve("1.png"), ImageFixtures.png(48, 32));
            Path second = Files.write(dir.resolve("2.png"), ImageFixtures.encode(ImageFixtures.grey(48, 32), "png"));
            run(List.of(img2webp.toString(), "-lossless", first.toString(), second.toString(), "-o", source.toString()));
        } else {
            Path png = Files.write(dir.resolve("source.png"), ImageFixtures.encode(ImageFixtures.picture(96, 64,
                    what.contains("alpha")), "png"));
            List<String> command = new ArrayList<>(List.of(cwebp.toString(), "-quiet"));
            command.addAll(List.of(options.split(" ")));
            command.addAll(List.of(png.toString(), "-o", source.toString()));
            run(command);
        }
        boolean extras = what.contains("Exif");
        if (extras) {
            Path icc = Files.write(dir.resolve("srgb.icc"), ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
            run(List.of(webpmux.toString(), "-set", "icc", icc.toString(), source.toString(), "-o", source.toString()));
            run(List.of(exiftool.toString(), "-q", "-overwrite_original", "-EXIF:Make=Yuanjian test camera",
                    source.toString()));
        }
        byte[] before = Files.readAllBytes(source);
        int[] pixels = decoded(source, animation);

        Asset a = webp.withMetadata(webp.withMetadata(Asset.of("a.webp", before), AIGC, label("SEAL")),
                SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        ManifestSlot.Embedded stored = webp.manifestSlot().orElseThrow()
                .embed(a, "an odd-length store".getBytes(StandardCharsets.US_ASCII));
        Path out = Files.write(dir.resolve("labelled.webp"), stored.asset().bytes());

        // The C2PA chunk is one webpinfo does not know: its only warning, never an error.
        String info = run(List.of(webpinfo.toString(), "-diag", out.toString()));
        assertThat(info).contains("No error detected.").contains("XMP: 1")
                .contains(String.format("Warning: Unknown chunk at offset %6d", stored.start()))
                .contains("There were 1 warning(s).");
        assertThat(info.lines().filter(l -> l.contains("ICCP: 1")).count()).isEqualTo(extras ? 1 : 0);
        assertThat(info.lines().filter(l -> l.contains("EXIF: 1")).count()).isEqualTo(extras ? 1 : 0);
        assertThat(Arrays.equals(decoded(out, animation), pixels)).as("dwebp decodes the same pixels").isTrue();
        assertThat(info.lines().filter(l -> l.contains("Animation: 1")).count()).isEqualTo(animation ? 1 : 0);

        Path config = ExternalTools.exiftoolTc260Config(dir);
        JsonNode read = new ObjectMapper().readTree(run(List.of(exiftool.toString(), "-config", config.toString(), "-j",
                "-AIGC", "-XMP-iptcExt:DigitalSourceType", "-EXIF:Make", "-ICC_Profile:ProfileDescription",
                out.toString()))).get(0);
        assertThat(read.path("AIGC").asText()).as(read.toString()).isEqualTo(label("SEAL"));
        assertThat(read.path("DigitalSourceType").asText()).isEqualTo(TRAINED_ALGORITHMIC_MEDIA);
        if (extras) {
            assertThat(read.path("Make").asText()).isEqualTo("Yuanjian test camera");
            assertThat(read.path("ProfileDescription").asText()).isNotEmpty();
        }
    }

    /**
     * The RGBA pixels dwebp decodes {@code webpFile} to; of an animation (which dwebp does not
     * play), of each of its two frames as webpmux takes them out.
     */
    private int[] decoded(Path webpFile, boolean animation) throws Exception {
        if (!animation) {
            return pixels(webpFile);
        }
        IntStream.Builder frames = IntStream.builder();
        for (int frame = 1; frame <= 2; frame++) {
            Path single = dir.resolve(webpFile.getFileName() + "-" + frame + ".webp");
            run(List.of(webpmux.toString(), "-get", "frame", String.valueOf(frame), webpFile.toString(), "-o",
                    single.toString()));
            IntStream.of(pixels(single)).forEach(frames);
        }
        return frames.build().toArray();
    }

    private int[] pixels(Path webpFile) throws Exception {
        Path png = dir.resolve(webpFile.getFileName() + ".png");
        run(List.of(dwebp.toString(), "-quiet", webpFile.toString(), "-o", png.toString()));
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
        return out;
    }
}
