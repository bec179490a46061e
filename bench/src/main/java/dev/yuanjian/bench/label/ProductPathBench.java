package dev.yuanjian.bench.label;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code label-verify [iterations]}: the whole product path a user runs, {@code yuanjian label}
 * then {@code yuanjian verify} without the process start: explicit and implicit label, a durable
 * log append on the default H2 database, the seal; then reading the label, checking the seal, the
 * log lookup and the inclusion proof against a fresh checkpoint. Baseline in the same run: the
 * codecs alone (label, read, digest) on the same bytes. Budgets (median): Markdown 1 MB 10 ms,
 * DOCX 10 pages 50 ms; exit status 1 when one is missed.
 */
public final class ProductPathBench {
    private ProductPathBench() {
    }

    public static int run(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("yuanjian-bench-label");
        Asset md = LabelWorkloads.markdown1MB();
        Asset docx = LabelWorkloads.docx10Pages();
        try (Yuanjian app = Yuanjian.open(new Home(dir), Settings.defaults(), Map.of())) {
            System.out.printf(Locale.ROOT, "label + verify through the product (H2 in %s): %d iterations after %d warm-up; "
                    + "java %s; %d cores%n", dir, iterations, iterations, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-46s %10s %10s %10s%n", "case", "median ms", "p90 ms", "min ms");
            boolean ok = true;
            ok &= time("markdown 1 MB: label + verify (product)", iterations, () -> labelAndVerify(app, md)) <= 10.0;
            time("markdown 1 MB: baseline marks only", iterations, () -> codecOnly(LabelWorkloads.markdown(), md));
            ok &= time("docx 10 pages: label + verify (product)", iterations, () -> labelAndVerify(app, docx)) <= 50.0;
            time("docx 10 pages: baseline marks only", iterations, () -> codecOnly(LabelWorkloads.docx(), docx));
            System.out.printf(Locale.ROOT, "log size after the run: %,d entries%n", app.log().size());
            if (!ok) {
                System.out.println("FAIL: a budget was missed");
                return 1;
            }
            return 0;
        }
    }

    private static void labelAndVerify(Yuanjian app, Asset asset) throws FormatException {
        Pipeline.Result result = app.pipeline().label(new Pipeline.Request(asset, java.util.Set.of(), "bench-model",
                Optional.of("bench prompt")));
        Verdict verdict = app.verifier().verify(result.labelled()).verdict();
        if (!(verdict instanceof Verdict.Intact)) {
            throw new IllegalStateException("expected intact, got " + verdict.kind());
        }
    }

    private static void codecOnly(Container codec, Asset asset) throws FormatException {
        LabelWorkloads.labelReadDigest(codec, asset);
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static double time(String name, int iterations, Work work) throws Exception {
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[iterations / 2];
        System.out.printf(Locale.ROOT, "%-46s %10.2f %10.2f %10.2f%n", name, median, ms[(int) (iterations * 0.9)], ms[0]);
        return median;
    }
}
