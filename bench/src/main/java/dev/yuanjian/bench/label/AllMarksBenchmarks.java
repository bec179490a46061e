package dev.yuanjian.bench.label;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.Raster;
import dev.yuanjian.render.RasterPainter;
import dev.yuanjian.watermark.ImageWatermark;
import dev.yuanjian.watermark.Payload;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every mark on a 12-megapixel JPEG through the product's pipeline (issue 10 target: 400 ms): the
 * visible label and the watermark (on the baseline JPEG's DCT coefficients since the coefficient
 * path; before, on one decoding and one encoding), the GB 45438 metadata label, C2PA, the log
 * append on the default H2 database, the seals. In the same run: the JDK's ImageIO decode and
 * encode of the same file (baseline); the two marks' pixel step both ways (decode, draw, watermark,
 * encode with the original's tables; or coefficients, draw on the MCUs under the box, watermark
 * through the DCT, write); the watermark alone on a 1080p JPEG both ways.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class AllMarksBenchmarks {
    private static final List<String> WORDING = List.of("AI-generated content");
    private final Raster jpeg = new JpegContainer().raster().orElseThrow();
    private final RasterPainter painter = new RasterPainter();
    private final ImageWatermark watermark = new ImageWatermark(new byte[32]);
    private final Payload payload = Payload.of("01KB5ZQ8X3M4N6P7R8S9T0V1W2");
    private Yuanjian app;
    private Asset twelveMp;
    private Asset hd;

    @Setup
    public void setUp() throws IOException {
        app = Yuanjian.open(new Home(Files.createTempDirectory("yuanjian-bench-allmarks")), Settings.defaults(), Map.of());
        twelveMp = Asset.of("12mp.jpg", C2paBenchmarks.photo(4000, 3000));
        hd = Asset.of("1080p.jpg", C2paBenchmarks.photo(1920, 1080));
    }

    @TearDown
    public void tearDown() {
        app.close();
    }

    @Benchmark
    public Pipeline.Result allMarks12Megapixel() throws FormatException {
        return app.pipeline().label(new Pipeline.Request(twelveMp, Set.of(), "bench", Optional.empty()));
    }

    /** The visible label and the watermark on pixels: what the pipeline did for every JPEG before, and does for progressive ones. */
    @Benchmark
    public Asset pixelPass12Megapixel() throws FormatException {
        BufferedImage pixels = painter.drawOn(jpeg.decode(twelveMp), 1, WORDING).pixels();
        watermark.embedInPlaceUnlessMarked(pixels, 1, payload);
        return jpeg.encode(twelveMp, pixels);
    }

    /** The same two marks on the baseline JPEG's coefficients: what the pipeline does now. */
    @Benchmark
    public Asset coefficientPass12Megapixel() throws FormatException {
        JpegCoefficients blocks = jpeg.coefficients(twelveMp).orElseThrow();
        painter.drawOn(blocks, 1, WORDING);
        watermark.embedInPlaceUnlessMarked(blocks, 1, payload);
        return jpeg.encode(twelveMp, blocks);
    }

    @Benchmark
    public Asset watermarkPixels1080p() throws FormatException {
        BufferedImage pixels = jpeg.decode(hd);
        watermark.embedInPlaceUnlessMarked(pixels, 1, payload);
        return jpeg.encode(hd, pixels);
    }

    @Benchmark
    public Asset watermarkCoefficients1080p() throws FormatException {
        JpegCoefficients blocks = jpeg.coefficients(hd).orElseThrow();
        watermark.embedInPlaceUnlessMarked(blocks, 1, payload);
        return jpeg.encode(hd, blocks);
    }

    @Benchmark
    public byte[] decodeEncodeBaseline12Megapixel() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(twelveMp.bytes()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
