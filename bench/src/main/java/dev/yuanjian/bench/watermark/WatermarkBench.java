package dev.yuanjian.bench.watermark;

import dev.yuanjian.bench.watermark.Photos.Photo;
import dev.yuanjian.watermark.Detection;
import dev.yuanjian.watermark.ImageWatermark;
import dev.yuanjian.watermark.Payload;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code watermark [--wallpapers DIR] [--photos N] [--side PX] [--runs N] [--warmup N] [--part all|robust|speed]}:
 * the robustness and speed benchmark of the invisible watermark against the dwtDct baseline
 * (issue 10). Each photo gets its own random 64-bit payload, embedded by both methods; every
 * {@link Attack} is applied to both marked copies. Ours is detected when {@link ImageWatermark#detect}
 * finds the embedded payload (a Found with another payload counts as wrong); dwtDct is detected when
 * at least {@value #DWT_DETECT_BITS} of its 64 decoded bits agree (and "exact" when all do).
 * False positives: every unmarked photo and its {@link Attack#falsePositiveVariants} through both
 * detectors, and every marked photo through ours with another key. Speed: in-process, median of
 * {@code --runs} after {@code --warmup} rounds, on one photo; run under {@code taskset -c 1} for one core.
 *
 * <p>Defaults: {@code --wallpapers bench/target/wallpapers/usr/share/wallpapers} (where
 * {@code bench/fetch-wallpapers} puts them), all photos, side 1080, 30 runs after 10 warm-up.
 * Exit status 0, 2 for bad options or no photos.
 */
public final class WatermarkBench {
    /** The dwtDct detection threshold: bits of 64 that must agree with the payload. */
    static final int DWT_DETECT_BITS = 56;

    private WatermarkBench() {
    }

    public static int run(String[] args) throws Exception {
        Map<String, String> options;
        List<Photo> photos;
        try {
            options = options(args);
            photos = Photos.load(Path.of(options.getOrDefault("wallpapers", "bench/target/wallpapers/usr/share/wallpapers")),
                    Integer.parseInt(options.getOrDefault("side", "1080")),
                    Integer.parseInt(options.getOrDefault("photos", "1000")));
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("watermark: " + e.getMessage());
            return 2;
        }
        String part = options.getOrDefault("part", "all");
        System.out.printf(Locale.ROOT, "watermark: %s; java %s; %d cores visible%n", Photos.describe(photos),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        if (!part.equals("speed")) {
            print(measure(photos));
        }
        if (!part.equals("robust")) {
            print(speed(photos.getFirst(), Integer.parseInt(options.getOrDefault("runs", "30")),
                    Integer.parseInt(options.getOrDefault("warmup", "10"))));
        }
        return 0;
    }

    /** One attack's results over all photos. */
    record Row(String attack, int trials, int oursFound, int oursWrong, double oursAgreement,
               int dwtDetected, int dwtExact, double dwtAccuracy) {
    }

    /** False positives: observed counts over trials. */
    record FalsePositives(int trials, int ours, int foreignKeyTrials, int foreignKey, int dwt, int dwtExact,
                          double dwtMeanAccuracy) {
    }

    /** Mean and worst PSNR (dB) and SSIM of marked against original. */
    record Quality(double oursPsnr, double oursPsnrMin, double oursSsim, double oursSsimMin,
                   double dwtPsnr, double dwtPsnrMin, double dwtSsim, double dwtSsimMin) {
    }

    /**
     * @param misses for each photo ours missed under some attack: the photo's name and each such
     *               attack with what detect returned, so a miss can be reproduced
     */
    record Report(int photos, List<Row> rows, FalsePositives falsePositives, Quality quality, Map<String, List<String>> misses) {
    }

    record Speed(int width, int height, int runs, double embedMs, double detectMs, double dwtEmbedMs,
                 double dwtDecodeMs) {
    }

    /** Marks every photo both ways and measures every attack, the false positives and the fidelity. */
    static Report measure(List<Photo> photos) {
        ImageWatermark ours = new ImageWatermark(key(10));
        ImageWatermark foreign = new ImageWatermark(key(11));
        List<Attack> attacks = Attack.all();
        int[] found = new int[attacks.size()];
        int[] wrong = new int[attacks.size()];
        double[] agreement = new double[attacks.size()];
        int[] dwtDetected = new int[attacks.size()];
        int[] dwtExact = new int[attacks.size()];
        double[] dwtAccuracy = new double[attacks.size()];
        double[][] quality = new double[4][photos.size()];
        int fpTrials = 0;
        int fpOurs = 0;
        int fpForeign = 0;
        int fpDwt = 0;
        int fpDwtExact = 0;
        double fpDwtAccuracy = 0;
        Map<String, List<String>> misses = new TreeMap<>();
        for (int p = 0; p < photos.size(); p++) {
            BufferedImage original = photos.get(p).image();
            Payload payload = new Payload(new Random(1000 + p).nextLong());
            BufferedImage marked = ours.embed(original, 1, payload);
            BufferedImage dwtMarked = DwtDct.embed(original, payload.bits());
            quality[0][p] = Fidelity.psnr(original, marked);
            quality[1][p] = Fidelity.ssim(original, marked);
            quality[2][p] = Fidelity.psnr(original, dwtMarked);
            quality[3][p] = Fidelity.ssim(original, dwtMarked);
            for (int a = 0; a < attacks.size(); a++) {
                Detection detection = ours.detect(attacks.get(a).apply().apply(marked), 1);
                if (detection instanceof Detection.Found f) {
                    if (f.payload().equals(payload)) {
                        found[a]++;
                        agreement[a] += f.bitAgreement();
                    } else {
                        wrong[a]++;
                    }
                }
                if (!(detection instanceof Detection.Found f && f.payload().equals(payload))) {
                    misses.computeIfAbsent(photos.get(p).name(), k -> new ArrayList<>())
                            .add(attacks.get(a).name() + " (" + detection + ")");
                }
                int agree = agreeing(DwtDct.decode(attacks.get(a).apply().apply(dwtMarked)), payload.bits());
                dwtDetected[a] += agree >= DWT_DETECT_BITS ? 1 : 0;
                dwtExact[a] += agree == DwtDct.BITS ? 1 : 0;
                dwtAccuracy[a] += agree / (double) DwtDct.BITS;
            }
            fpForeign += foreign.detect(marked, 1) instanceof Detection.Found ? 1 : 0;
            for (Attack variant : Attack.falsePositiveVariants()) {
                BufferedImage unmarked = variant.apply().apply(original);
                fpTrials++;
                fpOurs += ours.detect(unmarked, 1) instanceof Detection.Found ? 1 : 0;
                int agree = agreeing(DwtDct.decode(unmarked), payload.bits());
                fpDwt += agree >= DWT_DETECT_BITS ? 1 : 0;
                fpDwtExact += agree == DwtDct.BITS ? 1 : 0;
                fpDwtAccuracy += agree / (double) DwtDct.BITS;
            }
            System.err.printf(Locale.ROOT, "  %s: PSNR %.2f / %.2f dB%n", photos.get(p).name(), quality[0][p], quality[2][p]);
        }
        List<Row> rows = new ArrayList<>();
        int n = photos.size();
        for (int a = 0; a < attacks.size(); a++) {
            rows.add(new Row(attacks.get(a).name(), n, found[a], wrong[a], found[a] == 0 ? Double.NaN : agreement[a] / found[a],
                    dwtDetected[a], dwtExact[a], dwtAccuracy[a] / n));
        }
        return new Report(n, rows, new FalsePositives(fpTrials, fpOurs, n, fpForeign, fpDwt, fpDwtExact, fpDwtAccuracy / fpTrials),
                new Quality(mean(quality[0]), min(quality[0]), mean(quality[1]), min(quality[1]),
                        mean(quality[2]), min(quality[2]), mean(quality[3]), min(quality[3])), misses);
    }

    /** Median embed and detect times of both methods on {@code photo}, interleaved. */
    static Speed speed(Photo photo, int runs, int warmup) {
        ImageWatermark ours = new ImageWatermark(key(10));
        Payload payload = new Payload(0x0123456789abcdefL);
        BufferedImage image = photo.image();
        long[][] times = new long[4][runs];
        for (int r = -warmup; r < runs; r++) {
            long t0 = System.nanoTime();
            BufferedImage marked = ours.embed(image, 1, payload);
            long t1 = System.nanoTime();
            Detection d = ours.detect(marked, 1);
            long t2 = System.nanoTime();
            BufferedImage dwtMarked = DwtDct.embed(image, payload.bits());
            long t3 = System.nanoTime();
            long bits = DwtDct.decode(dwtMarked);
            long t4 = System.nanoTime();
            if (!(d instanceof Detection.Found) || bits != payload.bits()) {
                throw new IllegalStateException("speed run on " + photo.name() + " did not read its payload back: " + d);
            }
            if (r >= 0) {
                times[0][r] = t1 - t0;
                times[1][r] = t2 - t1;
                times[2][r] = t3 - t2;
                times[3][r] = t4 - t3;
            }
        }
        return new Speed(image.getWidth(), image.getHeight(), runs, median(times[0]), median(times[1]),
                median(times[2]), median(times[3]));
    }

    private static void print(Report report) {
        System.out.printf(Locale.ROOT, "%nRobustness over %d photos: ours = detected with the embedded payload (bit agreement = "
                + "share of the convolutional code's coded bits read right, when found); dwtDct = >= %d of 64 bits right (exact = 64 of 64)%n%n",
                report.photos(), DWT_DETECT_BITS);
        System.out.println("| attack | ours detected | ours wrong payload | ours bit agreement | dwtDct detected (>= 56/64) | dwtDct exact | dwtDct bit accuracy |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : report.rows()) {
            System.out.printf(Locale.ROOT, "| %s | %d/%d | %d | %s | %d/%d | %d/%d | %.3f |%n", r.attack(), r.oursFound(), r.trials(),
                    r.oursWrong(), Double.isNaN(r.oursAgreement()) ? "-" : String.format(Locale.ROOT, "%.3f", r.oursAgreement()),
                    r.dwtDetected(), r.trials(), r.dwtExact(), r.trials(), r.dwtAccuracy());
        }
        report.misses().forEach((photo, attacks) -> System.out.printf(Locale.ROOT, "%nours missed %s under %d attacks: %s%n",
                photo, attacks.size(), String.join("; ", attacks)));
        FalsePositives fp = report.falsePositives();
        System.out.printf(Locale.ROOT, "%nFalse positives on unmarked photos (as is, crop 5%%, crop 10%%, asymmetric crop, resize 50%%, JPEG q75):%n"
                + "  ours: %d/%d (stated bound %.1e per image); ours with another key on marked photos: %d/%d%n"
                + "  dwtDct: %d/%d at >= %d/64 (binomial bound for unbiased random bits %.1e), %d/%d exact; mean bit accuracy %.3f%n",
                fp.ours(), fp.trials(), ImageWatermark.FALSE_POSITIVE_BOUND, fp.foreignKey(), fp.foreignKeyTrials(),
                fp.dwt(), fp.trials(), DWT_DETECT_BITS, binomialTail(DwtDct.BITS, DWT_DETECT_BITS), fp.dwtExact(), fp.trials(),
                fp.dwtMeanAccuracy());
        Quality q = report.quality();
        System.out.printf(Locale.ROOT, "%nFidelity, marked vs original (PSNR over RGB; SSIM of luma, 11x11 Gaussian window sigma 1.5), mean (worst):%n"
                + "  ours:   PSNR %.2f dB (%.2f), SSIM %.4f (%.4f)%n  dwtDct: PSNR %.2f dB (%.2f), SSIM %.4f (%.4f)%n",
                q.oursPsnr(), q.oursPsnrMin(), q.oursSsim(), q.oursSsimMin(), q.dwtPsnr(), q.dwtPsnrMin(), q.dwtSsim(), q.dwtSsimMin());
    }

    private static void print(Speed s) {
        System.out.printf(Locale.ROOT, "%nSpeed on %d x %d, median of %d runs (ms): ours embed %.1f, detect %.1f; dwtDct embed %.1f, decode %.1f%n",
                s.width(), s.height(), s.runs(), s.embedMs(), s.detectMs(), s.dwtEmbedMs(), s.dwtDecodeMs());
    }

    /** P(X >= k) for X ~ Binomial(n, 1/2). */
    static double binomialTail(int n, int k) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = k; i <= n; i++) {
            sum = sum.add(binomial(n, i));
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL64).doubleValue();
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    private static int agreeing(long a, long b) {
        return DwtDct.BITS - Long.bitCount(a ^ b);
    }

    private static byte[] key(long seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> values = new HashMap<>();
        List<String> known = List.of("wallpapers", "photos", "side", "runs", "warmup", "part");
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value with name one of " + known + ", got '" + args[i] + "'");
            }
            values.put(name, args[i + 1]);
        }
        if (!List.of("all", "robust", "speed").contains(values.getOrDefault("part", "all"))) {
            throw new IllegalArgumentException("--part is all, robust or speed");
        }
        return values;
    }
}
