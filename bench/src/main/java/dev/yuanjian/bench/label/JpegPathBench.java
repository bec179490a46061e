package dev.yuanjian.bench.label;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.Raster;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.render.RasterPainter;
import dev.yuanjian.store.Home;
import dev.yuanjian.watermark.ImageWatermark;
import dev.yuanjian.watermark.Payload;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code jpeg-path [--warmup 3] [--runs 7]}: the 12-megapixel JPEG of {@link AllMarksBenchmarks}, each
 * step timed in the calling thread's CPU time (median, min, max) as well as wall time, so that a
 * machine shared with other work still gives comparable figures: the JDK's ImageIO decode + encode
 * (baseline), the visible label and the watermark on pixels (decode, draw, watermark, encode) and
 * on the DCT coefficients (read, draw on the MCUs under the box, watermark through the DCT, write),
 * the coefficient steps alone, all marks through the pipeline, and the watermark alone on a 1080p
 * JPEG both ways. Exit status 0, 2 for bad options.
 */
public final class JpegPathBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JpegPathBench() {
    }

    @FunctionalInterface
    private interface Step {
        Object run() throws Exception;
    }

    public static int run(String[] args) throws Exception {
        int warmup = 3;
        int runs = 7;
        try {
            for (int i = 0; i < args.length; i += 2) {
                int value = Integer.parseInt(i + 1 < args.length ? args[i + 1] : "");
                switch (args[i]) {
                    case "--warmup" -> warmup = Math.max(0, value);
                    case "--runs" -> runs = Math.max(1, value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jpeg-path: " + e.getMessage() + " (options: --warmup N --runs N)");
            return 2;
        }
        Raster jpeg = new JpegContainer().raster().orElseThrow();
        RasterPainter painter = new RasterPainter();
        ImageWatermark watermark = new ImageWatermark(new byte[32]);
        Payload payload = Payload.of("01KB5ZQ8X3M4N6P7R8S9T0V1W2");
        List<String> wording = List.of("AI-generated content");
        Asset twelve = Asset.of("12mp.jpg", C2paBenchmarks.photo(4000, 3000));
        Asset hd = Asset.of("1080p.jpg", C2paBenchmarks.photo(1920, 1080));
        time("ImageIO decode + encode, 12 MP (baseline)", warmup, runs, () -> {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(twelve.bytes()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpeg", out);
            return out;
        });
        time("label + watermark on pixels, 12 MP", warmup, runs, () -> {
            BufferedImage pixels = painter.drawOn(jpeg.decode(twelve), 1, wording).pixels();
            watermark.embedInPlaceUnlessMarked(pixels, 1, payload);
            return jpeg.encode(twelve, pixels);
        });
        time("label + watermark on coefficients, 12 MP", warmup, runs, () -> {
            JpegCoefficients blocks = jpeg.coefficients(twelve).orElseThrow();
            painter.drawOn(blocks, 1, wording);
            watermark.embedInPlaceUnlessMarked(blocks, 1, payload);
            return jpeg.encode(twelve, blocks);
        });
        time("  read coefficients", warmup, runs, () -> jpeg.coefficients(twelve).orElseThrow());
        JpegCoefficients read = jpeg.coefficients(twelve).orElseThrow();
        time("  write coefficients", warmup, runs, read::write);
        time("  read + watermark", warmup, runs,
                () -> watermark.embedInPlaceUnlessMarked(jpeg.coefficients(twelve).orElseThrow(), 1, payload));
        time("watermark on pixels, 1080p", warmup, runs, () -> {
            BufferedImage pixels = jpeg.decode(hd);
            watermark.embedInPlaceUnlessMarked(pixels, 1, payload);
            return jpeg.encode(hd, pixels);
        });
        time("watermark on coefficients, 1080p", warmup, runs, () -> {
            JpegCoefficients blocks = jpeg.coefficients(hd).orElseThrow();
            watermark.embedInPlaceUnlessMarked(blocks, 1, payload);
            return jpeg.encode(hd, blocks);
        });
        try (Yuanjian app = Yuanjian.open(new Home(Files.createTempDirectory("yuanjian-bench-jpeg-path")),
                Settings.defaults(), Map.of())) {
            time("all marks through the pipeline, 12 MP", warmup, runs, () -> app.pipeline()
                    .label(new Pipeline.Request(twelve, Set.of(), "bench", Optional.empty())));
        }
        return 0;
    }

    private static void time(String name, int warmup, int runs, Step step) throws Exception {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        long[] cpu = new long[runs];
        long[] wall = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            step.run();
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
            wall[i] = System.nanoTime() - w;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("%-44s CPU median %6.1f ms (min %6.1f, max %6.1f)   wall median %7.1f ms   n=%d%n", name,
                cpu[runs / 2] / 1e6, cpu[0] / 1e6, cpu[runs - 1] / 1e6, wall[runs / 2] / 1e6, runs);
    }
}
