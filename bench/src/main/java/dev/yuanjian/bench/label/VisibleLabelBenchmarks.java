package dev.yuanjian.bench.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.render.RasterPainter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
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
 * The visible label on a 12-megapixel JPEG (4000 x 3000, photo-like entropy): decode, draw the
 * box, re-encode with the original's tables, carry the metadata over, record the drawn text
 * ({@code RasterPainter.paint} through {@code JpegContainer}); beside, in the same run, what
 * re-encoding cost before the original's coding was kept: {@code ImageIO} decode and encode at a
 * fixed quality 0.92 with the encoder's default Huffman tables.
 * Run: {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main VisibleLabelBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class VisibleLabelBenchmarks {
    private final JpegContainer jpeg = new JpegContainer();
    private final RasterPainter painter = new RasterPainter();
    private final dev.yuanjian.watermark.WatermarkMark watermark =
            new dev.yuanjian.watermark.WatermarkMark(dev.yuanjian.watermark.WatermarkKeys.of(new byte[32]));
    private final dev.yuanjian.mark.Issuance issuance =
            new dev.yuanjian.mark.Issuance("01KB5ZQ8X3M4N6P7R8S9T0V1W2", "00UNREGISTERED0000000000000", "bench");
    private Asset twelveMp;

    @Setup
    public void setUp() {
        twelveMp = Asset.of("12mp.jpg", C2paBenchmarks.photo(4000, 3000));
    }

    @Benchmark
    public Asset visibleLabel12Megapixel() throws FormatException {
        return painter.paint(twelveMp, jpeg, List.of("AI-generated content"), TextBody.Edge.END);
    }

    /** The watermark mark alone: decode, look for an earlier watermark, embed, re-encode with the original's tables. */
    @Benchmark
    public Asset watermark12Megapixel() throws FormatException {
        return watermark.apply(twelveMp, jpeg, issuance);
    }

    /** Visible label then watermark, as the pipeline runs them (each decodes and re-encodes). */
    @Benchmark
    public Asset visibleLabelAndWatermark12Megapixel() throws FormatException {
        return watermark.apply(painter.paint(twelveMp, jpeg, List.of("AI-generated content"), TextBody.Edge.END), jpeg,
                issuance);
    }

    @Benchmark
    public byte[] decodeEncodeAt092Baseline12Megapixel() throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(twelveMp.bytes()));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
