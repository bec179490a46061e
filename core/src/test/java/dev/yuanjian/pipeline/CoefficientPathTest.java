package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.CoefficientFixtures;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import dev.yuanjian.watermark.SyntheticPhotos;
import dev.yuanjian.watermark.WatermarkMark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline JPEG is labelled on its DCT coefficients (no pixel round trip): colour blocks away
 * from the visible label are written back bit for bit, and verify reports what it reports for the
 * pixel path (a progressive JPEG, which still goes through pixels).
 */
class CoefficientPathTest {
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

    private Pipeline.Result label(byte[] jpeg, Set<String> omit) throws Exception {
        return app.pipeline().label(new Pipeline.Request(Asset.of("photo.jpg", jpeg), omit, "painter-1", Optional.empty()));
    }

    @Test
    void aBaselineJpegKeepsItsColourBlocksAwayFromTheLabelAndVerifiesAsThePixelPathDoes() throws Exception {
        byte[] baseline = SyntheticPhotos.jpegBytes(SyntheticPhotos.photo(1024, 768, 21), 0.9f);
        byte[] progressive = progressive(SyntheticPhotos.photo(1024, 768, 21));
        assertThat(JpegCoefficients.read(progressive)).isInstanceOf(JpegCoefficients.NotHandled.class);

        Pipeline.Result viaCoefficients = label(baseline, Set.of());
        Pipeline.Result viaPixels = label(progressive, Set.of());
        assertThat(viaCoefficients.marks()).isEqualTo(viaPixels.marks())
                .contains(WatermarkMark.NAME, ExplicitLabelMark.NAME);
        for (Pipeline.Result result : new Pipeline.Result[] {viaCoefficients, viaPixels}) {
            Report report = app.verifier().verify(result.labelled());
            assertThat(report.verdict()).isInstanceOf(Verdict.Intact.class);
            assertThat(report.finding(WatermarkMark.NAME).orElseThrow().present()).isTrue();
            assertThat(report.finding(ExplicitLabelMark.NAME).orElseThrow().present()).isTrue();
        }

        JpegCoefficients before = read(baseline);
        JpegCoefficients after = read(viaCoefficients.labelled().bytes());
        for (int c = 1; c < 3; c++) {
            JpegCoefficients.Component b = before.component(c);
            JpegCoefficients.Component a = after.component(c);
            int same = 0;
            int blocks = 0;
            // the label sits in the bottom-right corner; the top half is far from it
            for (int by = 0; by < b.blocksHigh() / 2; by++) {
                for (int bx = 0; bx < b.blocksWide(); bx++) {
                    boolean equal = true;
                    for (int k = 0; k < 64; k++) {
                        equal &= a.get(bx, by, k) == b.get(bx, by, k);
                    }
                    same += equal ? 1 : 0;
                    blocks++;
                }
            }
            assertThat(same).as("component " + c).isEqualTo(blocks);
        }
    }

    @Test
    void withNothingToPaintTheImageDataIsUntouched() throws Exception {
        byte[] baseline = SyntheticPhotos.jpegBytes(SyntheticPhotos.photo(640, 480, 22), 0.85f);
        Pipeline.Result labelled = label(baseline, Set.of(WatermarkMark.NAME, ExplicitLabelMark.NAME));
        assertThat(coefficients(read(labelled.labelled().bytes()))).isEqualTo(coefficients(read(baseline)));
        // and an image already labelled on its coefficients is not labelled again
        Pipeline.Result once = label(baseline, Set.of());
        Pipeline.Result twice = label(once.labelled().bytes(), Set.of());
        assertThat(twice.alreadyPresent()).contains(WatermarkMark.NAME, ExplicitLabelMark.NAME);
        assertThat(coefficients(read(twice.labelled().bytes()))).isEqualTo(coefficients(read(once.labelled().bytes())));
    }

    private static JpegCoefficients read(byte[] jpeg) {
        return CoefficientFixtures.decoded(jpeg);
    }

    private static short[] coefficients(JpegCoefficients c) {
        return CoefficientFixtures.all(c);
    }

    private static byte[] progressive(BufferedImage image) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
