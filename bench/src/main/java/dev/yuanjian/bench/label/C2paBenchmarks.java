package dev.yuanjian.bench.label;

import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.c2pa.CredentialSource;
import dev.yuanjian.c2pa.SignerCredentials;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.mark.Issuance;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * C2PA signing and embedding alone (issue target: at most 30 ms plus hashing): the C2PA mark's
 * {@code apply} on a 1080p and a 12-megapixel JPEG (remove any store, size the store, hash the
 * file outside it, build the claim, sign ES256, embed in APP11), beside SHA-256 of the same bytes.
 * Run: {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main C2paBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class C2paBenchmarks {
    private static final MetadataKey NO_LABEL = new MetadataKey("AIGC", "http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260");
    private final JpegContainer jpeg = new JpegContainer();
    private final Issuance issuance = new Issuance("01BENCHBENCHBENCHBENCHBENC", "00UNREGISTERED0000000000000", "bench");
    private C2paMark mark;
    private Asset hd;
    private Asset twelveMp;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("c2pa-bench");
        SignerCredentials signer = SignerCredentials.loadOrCreate(dir.resolve("c2pa.pem"), "bench");
        mark = new C2paMark(CredentialSource.of(signer), NO_LABEL, "bench", Clock.systemUTC());
        hd = Asset.of("hd.jpg", photo(1920, 1080));
        twelveMp = Asset.of("12mp.jpg", photo(4000, 3000));
    }

    /** A JPEG with photo-like entropy (smooth gradients plus noise), so its size is a camera's, not a flat colour's. */
    static byte[] photo(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / w + random.nextInt(24)) & 0xff;
                int g = (y * 255 / h + random.nextInt(24)) & 0xff;
                int b = ((x + y) * 127 / (w + h) + random.nextInt(24)) & 0xff;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Benchmark
    public Asset c2pa1080p() throws FormatException {
        return mark.apply(hd, jpeg, issuance);
    }

    @Benchmark
    public byte[] sha256Baseline1080p() {
        return LabelWorkloads.sha256(hd.bytes());
    }

    @Benchmark
    public Asset c2pa12Megapixel() throws FormatException {
        return mark.apply(twelveMp, jpeg, issuance);
    }

    @Benchmark
    public byte[] sha256Baseline12Megapixel() {
        return LabelWorkloads.sha256(twelveMp.bytes());
    }
}
