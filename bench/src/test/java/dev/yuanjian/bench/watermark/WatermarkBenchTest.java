package dev.yuanjian.bench.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.bench.watermark.Photos.Photo;
import dev.yuanjian.bench.watermark.WatermarkBench.Report;
import dev.yuanjian.bench.watermark.WatermarkBench.Row;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code watermark} bench command's code path on two generated "wallpapers", small enough to run in the build. */
class WatermarkBenchTest {

    @TempDir
    Path dir;

    @Test
    void measuresEveryAttackOnBothMethods() throws Exception {
        List<Photo> photos = Photos.load(wallpapers(), 360, 10);
        assertThat(photos).extracting(Photo::name).containsExactly("Dunes", "Harbour");
        assertThat(photos).allSatisfy(p -> {
            assertThat(p.image().getWidth()).isEqualTo(640);
            assertThat(p.image().getHeight()).isEqualTo(360);
        });

        Report report = WatermarkBench.measure(photos);

        assertThat(report.rows()).extracting(Row::attack).containsExactlyElementsOf(
                Attack.all().stream().map(Attack::name).toList());
        Row none = report.rows().getFirst();
        assertThat(none.oursFound()).isEqualTo(2);
        assertThat(report.misses()).allSatisfy((photo, attacks) -> assertThat(attacks).noneMatch(a -> a.startsWith("none ")));
        assertThat(none.oursAgreement()).isGreaterThan(0.9);
        assertThat(none.dwtExact()).isEqualTo(2);
        Row brighter = row(report, "brightness +20%");
        assertThat(brighter.dwtAccuracy()).isGreaterThan(0.9);
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.oursWrong()).isZero());
        assertThat(report.falsePositives().trials()).isEqualTo(2 * Attack.falsePositiveVariants().size());
        assertThat(report.falsePositives().ours()).isZero();
        assertThat(report.falsePositives().foreignKey()).isZero();
        assertThat(report.quality().oursPsnr()).isBetween(38.0, 60.0);
        assertThat(report.quality().dwtSsim()).isBetween(0.9, 1.0);
    }

    @Test
    void commandRunsAndRefusesBadOptions() throws Exception {
        Path tree = wallpapers();
        assertThat(WatermarkBench.run(new String[] {"--wallpapers", tree.toString(), "--side", "300",
                "--part", "speed", "--runs", "1", "--warmup", "0"})).isZero();
        assertThat(WatermarkBench.run(new String[] {"--wallpapers", dir.resolve("absent").toString()})).isEqualTo(2);
        assertThat(WatermarkBench.run(new String[] {"--wallpapers", tree.toString(), "--part", "some"})).isEqualTo(2);
        assertThat(WatermarkBench.run(new String[] {"--sides", "300"})).isEqualTo(2);
    }

    @Test
    void dwtDctReadsBackWhatItWroteAndNothingFromAnUnmarkedImage() {
        BufferedImage image = texture(new Random(5), 512, 384);
        long payload = 0xF0E1D2C3B4A59687L;
        assertThat(DwtDct.decode(DwtDct.embed(image, payload))).isEqualTo(payload);
        assertThat(Long.bitCount(DwtDct.decode(image) ^ payload)).isGreaterThan(8);
    }

    @Test
    void attacksAndFidelityMeasureWhatTheySay() {
        BufferedImage image = texture(new Random(6), 400, 300);
        BufferedImage cropped = Attack.crop(image, 0.10, 0.10, 0.10, 0.10);
        assertThat(cropped.getWidth()).isEqualTo(320);
        assertThat(cropped.getHeight()).isEqualTo(240);
        assertThat(Attack.resize(image, 0.5).getWidth()).isEqualTo(200);
        assertThat(Fidelity.psnr(image, Attack.copy(image))).isInfinite();
        assertThat(Fidelity.ssim(image, Attack.copy(image))).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        double mild = Fidelity.psnr(image, Attack.jpeg(image, 90));
        double harsh = Fidelity.psnr(image, Attack.jpeg(image, 30));
        assertThat(mild).isGreaterThan(harsh);
        assertThat(Fidelity.psnr(image, Attack.jpeg444(image, 75))).isGreaterThan(Fidelity.psnr(image, Attack.jpeg(image, 75)));
        assertThat(Fidelity.ssim(image, Attack.noise(image, 5))).isLessThan(Fidelity.ssim(image, Attack.noise(image, 3)));
        assertThat(WatermarkBench.binomialTail(64, 56)).isBetween(2e-10, 4e-10);
    }

    private static Row row(Report report, String attack) {
        return report.rows().stream().filter(r -> r.attack().equals(attack)).findFirst().orElseThrow();
    }

    /** Two wallpapers as plasma-workspace-wallpapers lays them out, each with a smaller and a larger size. */
    private Path wallpapers() throws Exception {
        Path tree = dir.resolve("wallpapers");
        int seed = 1;
        for (String name : List.of("Dunes", "Harbour")) {
            Path images = Files.createDirectories(tree.resolve(name).resolve("contents/images"));
            ImageIO.write(texture(new Random(seed), 320, 180), "png", images.resolve("320x180.png").toFile());
            ImageIO.write(texture(new Random(seed + 100), 800, 450), "png", images.resolve("800x450.png").toFile());
            seed++;
        }
        Files.createDirectories(tree.resolve("Empty/contents/images"));
        return tree;
    }

    /** Photo-like content: smooth colour gradients, a few soft shapes, and fine seeded texture. */
    static BufferedImage texture(Random random, int w, int h) {
        double[][] blobs = new double[6][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {random.nextDouble() * w, random.nextDouble() * h, 20 + random.nextDouble() * w / 4,
                    random.nextDouble() * 120 - 60};
        }
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double base = 60 + 100.0 * x / w + 40.0 * y / h;
                for (double[] b : blobs) {
                    double d = Math.hypot(x - b[0], y - b[1]);
                    base += b[3] * Math.exp(-d * d / (b[2] * b[2]));
                }
                double grain = random.nextGaussian() * 12;
                int r = clamp(base + grain + 20);
                int g = clamp(base * 0.9 + grain);
                int bl = clamp(base * 0.7 + grain - 10 + 30.0 * Math.sin(x / 9.0));
                rgb[y * w + x] = r << 16 | g << 8 | bl;
            }
        }
        return Attack.fromRgb(rgb, w, h);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
