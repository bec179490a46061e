package dev.yuanjian.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through the product: a labelled image whose metadata a platform stripped, and which it
 * re-compressed, resized and cropped, is still traced to its log entry by verify.
 */
class WatermarkTraceTest {
    @TempDir
    Path dir;
    Yuanjian app;

    @BeforeEach
    void open() throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterEach
    void close() {
        app.close();
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private Pipeline.Result label(String name, byte[] bytes) throws Exception {
        return app.pipeline().label(new Pipeline.Request(Asset.of(name, bytes), Set.of(), "painter-1", Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo.png", "photo.jpg"})
    void aStrippedReencodedCroppedCopyIsTracedToItsEntry(String name) throws Exception {
        byte[] original = encode(SyntheticPhotos.photo(1024, 768, 11), name.endsWith("png") ? "png" : "jpeg");
        Pipeline.Result labelled = label(name, original);
        assertThat(labelled.marks()).contains(WatermarkMark.NAME);
        assertThat(Files.getPosixFilePermissions(dir.resolve("home/keys/watermark.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Report intact = app.verifier().verify(labelled.labelled());
        assertThat(intact.verdict()).isInstanceOf(Verdict.Intact.class);
        assertThat(intact.finding(WatermarkMark.NAME).orElseThrow().present()).isTrue();

        // What a platform does: decode, crop 8% off two sides, halve, re-encode as JPEG q60, no metadata.
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(labelled.labelled().bytes()));
        BufferedImage copy = SyntheticPhotos.jpeg(SyntheticPhotos.resize(
                SyntheticPhotos.crop(shown, 0.08, 0.0, 0.0, 0.08), 0.5), 0.6f);
        Report traced = app.verifier().verify(Asset.of("upload.jpg", encode(copy, "jpeg")));
        assertThat(traced.verdict()).isInstanceOf(Verdict.Traced.class);
        Verdict.Traced verdict = (Verdict.Traced) traced.verdict();
        assertThat(verdict.entry().index()).isEqualTo(labelled.logIndex());
        assertThat(verdict.entry().record().contentId()).isEqualTo(labelled.contentId());
        assertThat(verdict.proof()).isNotNull();
        var json = JsonViews.report(traced);
        assertThat(json.get("verdict").asText()).isEqualTo("traced");
        assertThat(json.at("/log/index").asLong()).isEqualTo(labelled.logIndex());
        assertThat(json.at("/summary/en").asText()).contains("watermark");
    }

    @Test
    void anUnmarkedPhotoIsNotTraced() throws Exception {
        label("other.png", encode(SyntheticPhotos.photo(800, 600, 12), "png"));
        Report report = app.verifier().verify(Asset.of("mine.png", encode(SyntheticPhotos.photo(800, 600, 13), "png")));
        assertThat(report.verdict()).isInstanceOf(Verdict.Unlabelled.class);
        assertThat(report.finding(WatermarkMark.NAME).orElseThrow().present()).isFalse();
    }

    @Test
    void relabellingKeepsTheFirstWatermarkAndSmallImagesAreToldWhyTheyHaveNone() throws Exception {
        Pipeline.Result first = label("a.png", encode(SyntheticPhotos.photo(640, 480, 14), "png"));
        Pipeline.Result again = app.pipeline().label(new Pipeline.Request(first.labelled(),
                Set.of(ExplicitLabelMark.NAME), "m", Optional.empty()));
        assertThat(again.alreadyPresent()).contains(WatermarkMark.NAME);
        // Both pixel marks in one pass (one decoding, one encoding): both found already there, the bytes kept.
        Pipeline.Result both = app.pipeline().label(new Pipeline.Request(first.labelled(), Set.of(), "m", Optional.empty()));
        assertThat(both.alreadyPresent()).contains(ExplicitLabelMark.NAME, WatermarkMark.NAME);
        assertThat(ImageIO.read(new ByteArrayInputStream(both.labelled().bytes())).getRGB(5, 5))
                .isEqualTo(ImageIO.read(new ByteArrayInputStream(first.labelled().bytes())).getRGB(5, 5));
        BufferedImage stripped = ImageIO.read(new ByteArrayInputStream(again.labelled().bytes()));
        Verdict verdict = app.verifier().verify(Asset.of("s.png", encode(stripped, "png"))).verdict();
        assertThat(((Verdict.Traced) verdict).entry().index()).isEqualTo(first.logIndex());

        Pipeline.Result small = label("icon.png", encode(SyntheticPhotos.photo(200, 120, 15), "png"));
        assertThat(small.marks()).doesNotContain(WatermarkMark.NAME);
        assertThat(small.notices()).anySatisfy(n -> assertThat(n.en()).contains("no invisible watermark").contains("256"));
    }

    /**
     * A platform that converts uploads to WebP (here libwebp's own cwebp at quality 75): the
     * watermark is read from the WebP and traces it; labelling a WebP says why it has no watermark.
     */
    @Test
    void aCopyConvertedToWebpIsTraced() throws Exception {
        Path cwebp = dev.yuanjian.testing.ExternalTools.require("cwebp", "webp", "/usr/bin/cwebp");
        Pipeline.Result labelled = label("photo.jpg", encode(SyntheticPhotos.photo(1024, 768, 20), "jpeg"));
        Path jpeg = Files.write(dir.resolve("labelled.jpg"), labelled.labelled().bytes());
        Path webp = dir.resolve("converted.webp");
        Process p = new ProcessBuilder(cwebp.toString(), "-quiet", "-q", "75", "-metadata", "none", jpeg.toString(),
                "-o", webp.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        Report report = app.verifier().verify(Asset.of("converted.webp", Files.readAllBytes(webp)));
        assertThat(report.verdict()).isInstanceOf(Verdict.Traced.class);
        assertThat(((Verdict.Traced) report.verdict()).entry().index()).isEqualTo(labelled.logIndex());

        Pipeline.Result webpLabelled = label("converted.webp", Files.readAllBytes(webp));
        assertThat(webpLabelled.marks()).doesNotContain(WatermarkMark.NAME);
        assertThat(webpLabelled.notices()).anySatisfy(n -> assertThat(n.en()).contains("WEBP images cannot be re-encoded"));
    }

    /** An animated PNG keeps every frame: neither the visible label nor the watermark re-encodes it, and both say why. */
    @Test
    void anAnimationIsLabelledWithoutTouchingItsPixels() throws Exception {
        byte[] still = encode(SyntheticPhotos.photo(400, 300, 19), "png");
        byte[] animated = dev.yuanjian.container.ImageFixtures.afterIhdr(still,
                dev.yuanjian.container.ImageFixtures.chunk("acTL", new byte[] {0, 0, 0, 2, 0, 0, 0, 0}));
        Pipeline.Result result = label("anim.png", animated);
        assertThat(result.marks()).doesNotContain(WatermarkMark.NAME, ExplicitLabelMark.NAME);
        assertThat(result.notices()).extracting(n -> n.en())
                .anySatisfy(n -> assertThat(n).contains("no invisible watermark").contains("animation of 2 frames"))
                .anySatisfy(n -> assertThat(n).contains("no visible label").contains("first frame"));
        assertThat(new String(result.labelled().bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("acTL");
        BufferedImage before = ImageIO.read(new ByteArrayInputStream(animated));
        BufferedImage after = ImageIO.read(new ByteArrayInputStream(result.labelled().bytes()));
        assertThat(SyntheticPhotos.psnr(before, after)).isInfinite();
    }

    /** Attack: the key file is deleted. A new key would silently orphan every image marked with the old one. */
    @Test
    void aLostKeyIsAnErrorNotANewKey() throws Exception {
        Pipeline.Result first = label("a.png", encode(SyntheticPhotos.photo(640, 480, 17), "png"));
        Path key = dir.resolve("home/keys/watermark.key");
        assertThat(Files.readString(dir.resolve("home/keys/watermark.key.id")).strip()).matches("[0-9a-f]{8}");
        Files.delete(key);
        app.close();
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
        long before = app.log().size();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> label("b.png", encode(SyntheticPhotos.photo(640, 480, 18), "png")))
                .hasMessageContaining("watermark.key is missing").hasMessageContaining("restore the key");
        assertThat(key).doesNotExist();
        assertThat(app.log().size()).isEqualTo(before);
        Report report = app.verifier().verify(first.labelled());
        assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
        var summary = report.finding(WatermarkMark.NAME).orElseThrow().summary();
        assertThat(summary.en()).contains("is missing");
        assertThat(summary.zh()).contains("请从备份恢复该密钥").doesNotContain("is missing", "restore");
    }

    @Test
    void verifyWithoutAKeyCreatesNoneAndSaysSo() throws Exception {
        app.close();
        app = Yuanjian.openForReading(Map.of("YUANJIAN_HOME", dir.resolve("fresh").toString()), java.util.List.of());
        Report report = app.verifier().verify(Asset.of("p.png", encode(SyntheticPhotos.photo(300, 300, 16), "png")));
        assertThat(report.finding(WatermarkMark.NAME).orElseThrow().summary().en()).contains("no watermark key");
        assertThat(dir.resolve("fresh/keys/watermark.key")).doesNotExist();
    }
}
