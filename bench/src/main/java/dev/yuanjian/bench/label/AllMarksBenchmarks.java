package dev.yuanjian.bench.label;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
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
 * visible label and the watermark on one decoding and one encoding, the GB 45438 metadata label,
 * C2PA, the log append on the default H2 database, the seals. Baseline in the same run: the JDK's
 * ImageIO decode and encode of the same file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class AllMarksBenchmarks {
    private Yuanjian app;
    private Asset twelveMp;

    @Setup
    public void setUp() throws IOException {
        app = Yuanjian.open(new Home(Files.createTempDirectory("yuanjian-bench-allmarks")), Settings.defaults(), Map.of());
        twelveMp = Asset.of("12mp.jpg", C2paBenchmarks.photo(4000, 3000));
    }

    @TearDown
    public void tearDown() {
        app.close();
    }

    @Benchmark
    public Pipeline.Result allMarks12Megapixel() throws FormatException {
        return app.pipeline().label(new Pipeline.Request(twelveMp, Set.of(), "bench", Optional.empty()));
    }

    @Benchmark
    public byte[] decodeEncodeBaseline12Megapixel() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(twelveMp.bytes()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
