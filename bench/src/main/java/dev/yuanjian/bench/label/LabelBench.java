package dev.yuanjian.bench.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The label benchmarks without JMH, runnable on their own:
 * {@code java -cp bench/target/benchmarks.jar dev.yuanjian.bench.label.LabelBench [iterations]}.
 * For each file it times the pipeline (write implicit + explicit, read, digest) and, in the same
 * run, its baseline, and checks the budgets: 1 MB Markdown within 10 ms, a ten-page DOCX within
 * 50 ms (median). PDF is timed for information. Exit status 1 when a budget is missed.
 */
public final class LabelBench {
    private LabelBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Asset md = LabelWorkloads.markdown1MB();
        Asset docx = LabelWorkloads.docx10Pages();
        Asset pdf = LabelWorkloads.pdf10Pages();
        System.out.printf(Locale.ROOT, "label benchmarks: %d iterations after %d warm-up; java %s; %d cores%n",
                iterations, iterations, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", "case", "median ms", "p90 ms", "min ms");
        boolean ok = true;
        ok &= report("markdown 1 MB: label+explicit+read+digest", md, LabelWorkloads.markdown(), iterations, 10.0);
        time("markdown 1 MB: baseline SHA-256", iterations, () -> LabelWorkloads.sha256(md.bytes()), md.bytes().length);
        ok &= report("docx 10 pages: label+explicit+read+digest", docx, LabelWorkloads.docx(), iterations, 50.0);
        time("docx 10 pages: baseline unzip+rezip", iterations, () -> LabelWorkloads.zipCopy(docx.bytes()), docx.bytes().length);
        time("docx 10 pages: baseline SHA-256", iterations, () -> LabelWorkloads.sha256(docx.bytes()), docx.bytes().length);
        report("pdf 10 pages: label+explicit+read+digest", pdf, LabelWorkloads.pdf(), Math.max(20, iterations / 4), 0);
        time("pdf 10 pages: baseline SHA-256", iterations, () -> LabelWorkloads.sha256(pdf.bytes()), pdf.bytes().length);
        if (!ok) {
            System.out.println("FAIL: a budget was missed");
            System.exit(1);
        }
    }

    private static boolean report(String name, Asset asset, Container codec, int iterations, double budgetMs) {
        double median = time(name, iterations, () -> {
            try {
                return LabelWorkloads.labelReadDigest(codec, asset);
            } catch (FormatException e) {
                throw new IllegalStateException(e);
            }
        }, asset.bytes().length);
        if (budgetMs > 0 && median > budgetMs) {
            System.out.printf(Locale.ROOT, "  over budget: %.2f ms > %.0f ms%n", median, budgetMs);
            return false;
        }
        return true;
    }

    private static double time(String name, int iterations, Supplier<byte[]> work, int size) {
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            sink += work.get().length;
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink += work.get().length;
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[iterations / 2];
        System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %10.2f   (%,d bytes%s)%n", name, median,
                ms[(int) (iterations * 0.9)], ms[0], size, sink == 42 ? "!" : "");
        return median;
    }
}
