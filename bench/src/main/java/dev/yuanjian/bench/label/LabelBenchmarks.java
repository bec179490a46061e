package dev.yuanjian.bench.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import java.util.concurrent.TimeUnit;
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
 * JMH form of {@link LabelBench}: each pipeline beside its baseline (SHA-256 of the same bytes; for
 * DOCX also a plain java.util.zip unzip-rezip). Run from the shaded jar:
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main LabelBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LabelBenchmarks {
    private final Container markdown = LabelWorkloads.markdown();
    private final Container docx = LabelWorkloads.docx();
    private final Container pdf = LabelWorkloads.pdf();
    private Asset markdown1MB;
    private Asset docx10Pages;
    private Asset pdf10Pages;

    @Setup
    public void setUp() {
        markdown1MB = LabelWorkloads.markdown1MB();
        docx10Pages = LabelWorkloads.docx10Pages();
        pdf10Pages = LabelWorkloads.pdf10Pages();
    }

    @Benchmark
    public byte[] markdownLabelReadDigest() throws FormatException {
        return LabelWorkloads.labelReadDigest(markdown, markdown1MB);
    }

    @Benchmark
    public byte[] markdownSha256Baseline() {
        return LabelWorkloads.sha256(markdown1MB.bytes());
    }

    @Benchmark
    public byte[] docxLabelReadDigest() throws FormatException {
        return LabelWorkloads.labelReadDigest(docx, docx10Pages);
    }

    @Benchmark
    public byte[] docxZipCopyBaseline() {
        return LabelWorkloads.zipCopy(docx10Pages.bytes());
    }

    @Benchmark
    public byte[] docxSha256Baseline() {
        return LabelWorkloads.sha256(docx10Pages.bytes());
    }

    @Benchmark
    public byte[] pdfLabelReadDigest() throws FormatException {
        return LabelWorkloads.labelReadDigest(pdf, pdf10Pages);
    }

    @Benchmark
    public byte[] pdfSha256Baseline() {
        return LabelWorkloads.sha256(pdf10Pages.bytes());
    }
}
