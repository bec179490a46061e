package dev.yuanjian.watermark;

import dev.yuanjian.container.JpegCoefficients;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An invisible watermark in an image's luma that carries a {@link Payload} and survives what
 * platforms do to uploads: JPEG re-compression, resizing, cropping, brightness and contrast
 * changes, noise, conversion between formats.
 *
 * <p>How. The image is seen on a working grid whose shorter side is {@value #WORKING_SIDE} pixels
 * (so the watermark's scale follows the image's, and a resized copy looks the same on that grid).
 * A keyed tile of {@value TileLayout#TILE} x {@value TileLayout#TILE} working pixels ({@link TileLayout}:
 * a synchronisation pattern and the convolutionally coded payload, in 2 x 2 cells) is repeated over
 * the whole grid, weighted by a mask that puts more of it where the image is busy and less where it
 * is flat, scaled so that the peak signal-to-noise ratio against the original is {@value #TARGET_PSNR} dB,
 * and added to every colour sample. Repeating the tile is what makes cropping harmless: any window
 * of the grid holds whole periods of it, only shifted. This is the periodic spread-spectrum design
 * of Kutter (1999) and Kalker et al. (2001), with a keyed sync pattern instead of autocorrelation.
 *
 * <p>Detection normalises the image to the working grid, whitens it (the difference from a 3 x 3
 * mean, divided by local activity, so that edges do not drown the signal), and for each candidate
 * scale between {@value #MIN_SCALE} and {@value #MAX_SCALE} (a crop of up to 10% per side makes
 * the tile look up to 25% larger after normalising) folds the grid onto one tile and finds the
 * sync pattern's shift by FFT cross-correlation (below 1: borders or a letterbox added around
 * the image make the tile look smaller). At the best few hypotheses it reads the coded
 * bits softly, decodes them with a Viterbi decoder, and accepts the payload only when its 32-bit
 * keyed check holds: an image without this key's watermark passes with probability 2^-32 per
 * hypothesis, at most {@value #HYPOTHESES} x 2^-32 (7.0e-10) per image, whatever its content.
 *
 * <p>Instances hold only the key's layout; they are immutable and thread-safe.
 */
public final class ImageWatermark {
    /** The shorter side of the working grid, in working pixels. */
    public static final int WORKING_SIDE = 256;
    /** The shortest side an image needs to take the watermark, in pixels. */
    public static final int MIN_EMBED_SIDE = 256;
    /** The shortest side an image needs for detection to be tried, in pixels. */
    public static final int MIN_DETECT_SIDE = 96;
    /** The peak signal-to-noise ratio the watermark is scaled to, in dB (before rounding to samples). */
    public static final double TARGET_PSNR = 41.0;
    /** The weakest change the watermark makes where it is present, in 8-bit sample units. */
    static final double MIN_AMPLITUDE = 1.0;
    static final double MIN_SCALE = 0.75;
    static final double MAX_SCALE = 1.40;
    static final double SCALE_STEP = 1.0025;
    static final int HYPOTHESES = 3;
    /** The chance that an image without the watermark is reported as carrying it, at most. */
    public static final double FALSE_POSITIVE_BOUND = HYPOTHESES / Math.pow(2, TileLayout.CHECK_BITS);

    private static final int T = TileLayout.TILE;

    private final TileLayout layout;
    private final String keyId;
    private final double[] syncFftRe = new double[T * T];
    private final double[] syncFftIm = new double[T * T];
    private final Fft2 fft = new Fft2(T);

    /** @param key the producer's secret watermark key, at least 16 bytes (32 random bytes in practice) */
    public ImageWatermark(byte[] key) {
        layout = new TileLayout(key);
        keyId = TileLayout.fingerprint(key);
        System.arraycopy(layout.syncTemplate, 0, syncFftRe, 0, T * T);
        fft.transform(syncFftRe, syncFftIm, false);
    }

    /** A short public fingerprint of the key (8 hex digits), to tell which key a report used. */
    public String keyId() {
        return keyId;
    }

    /** Why {@code image} cannot take the watermark (too small, palette, CMYK), or empty when it can. */
    public static Optional<String> unfit(BufferedImage image) {
        if (Math.min(image.getWidth(), image.getHeight()) < MIN_EMBED_SIDE) {
            return Optional.of("the image is " + image.getWidth() + " x " + image.getHeight()
                    + " pixels; the watermark needs at least " + MIN_EMBED_SIDE + " on the shorter side");
        }
        return Pixels.unsupported(image);
    }

    /**
     * A copy of {@code image} carrying {@code payload}, same size, colour model and sample layout.
     *
     * @param orientation the Exif orientation (1..8) viewers apply to {@code image}: the watermark is
     *                    laid out in the image as it is shown, where a platform that applies the
     *                    orientation and drops the Exif will look for it
     * @throws IllegalArgumentException when {@link #unfit} gives a reason
     */
    public BufferedImage embed(BufferedImage image, int orientation, Payload payload) {
        requireFit(image);
        BufferedImage marked = Pixels.copy(image);
        Grid stored = Grid.of(image.getWidth(), image.getHeight());
        addTo(marked, Pixels.luma(image, stored.width, stored.height), orientation, payload);
        return marked;
    }

    /**
     * Marks {@code image} in place with {@code payload}, unless it already carries this key's
     * watermark: then it is left as it is and the payload found is returned (a second watermark on
     * top would make both unreadable). Reads the image's luma once for both, which is why labelling
     * uses this rather than {@link #detect} then {@link #embed}.
     *
     * @throws IllegalArgumentException when {@link #unfit} gives a reason
     */
    public Optional<Payload> embedInPlaceUnlessMarked(BufferedImage image, int orientation, Payload payload) {
        requireFit(image);
        Grid stored = Grid.of(image.getWidth(), image.getHeight());
        float[] luma = Pixels.luma(image, stored.width, stored.height);
        Optional<Payload> earlier = found(luma, stored, orientation);
        if (earlier.isEmpty()) {
            addTo(image, luma, orientation, payload);
        }
        return earlier;
    }

    /**
     * Why a JPEG's coefficients cannot take the watermark here (too small; not grey or Y Cb Cr;
     * luma sampled more coarsely than another component), or empty when they can.
     */
    public static Optional<String> unfit(JpegCoefficients image) {
        if (Math.min(image.width(), image.height()) < MIN_EMBED_SIDE) {
            return Optional.of("the image is " + image.width() + " x " + image.height()
                    + " pixels; the watermark needs at least " + MIN_EMBED_SIDE + " on the shorter side");
        }
        if (image.colour() == JpegCoefficients.Colour.OTHER) {
            return Optional.of("only grey and Y Cb Cr JPEGs take the watermark in their coefficients");
        }
        JpegCoefficients.Component luma = image.component(0);
        if (luma.h() != image.maxH() || luma.v() != image.maxV()) {
            return Optional.of("the JPEG's luma is sampled more coarsely than its colour");
        }
        return Optional.empty();
    }

    /**
     * {@link #embedInPlaceUnlessMarked(BufferedImage, int, Payload)} on a JPEG's coefficients, without
     * decoding its pixels: the working-grid luma comes from a scaled decoding of the luma blocks
     * (1/8, 1/4, 1/2 or full size, the smallest that still covers the working grid), and the same
     * watermark, as a change of luma at full size, is added to the luma blocks through the DCT
     * ({@link JpegCoefficients#add}). Colour components are not touched: adding the same amount to
     * R, G and B, as the pixel path does, changes Y alone.
     *
     * @throws IllegalArgumentException when {@link #unfit(JpegCoefficients)} gives a reason
     */
    public Optional<Payload> embedInPlaceUnlessMarked(JpegCoefficients image, int orientation, Payload payload) {
        unfit(image).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int w = image.width();
        int h = image.height();
        Grid stored = Grid.of(w, h);
        int eighths = 1;
        while (eighths < 8 && Math.min(w, h) * eighths / 8 < WORKING_SIDE) {
            eighths *= 2;
        }
        JpegCoefficients.Plane plane = image.scaled(0, eighths);
        float[] samples = plane.samples();
        float[] luma = Pixels.luma((y, out) -> System.arraycopy(samples, y * plane.width(), out, 0, plane.width()),
                plane.width(), plane.height(), stored.width, stored.height);
        Optional<Payload> earlier = found(luma, stored, orientation);
        if (earlier.isEmpty()) {
            Upsampler change = change(luma, w, h, orientation, payload);
            image.add(0, (y, out) -> change.row(y, out, 1f));
        }
        return earlier;
    }

    /** The payload of this key's watermark in the working-grid luma {@code luma} (stored layout), if there is one. */
    private Optional<Payload> found(float[] luma, Grid stored, int orientation) {
        Orientation view = new Orientation(orientation, stored.width, stored.height);
        return search(view.toShown(luma), view.shownWidth(), view.shownHeight()) instanceof Detection.Found found
                ? Optional.of(found.payload()) : Optional.empty();
    }

    private static void requireFit(BufferedImage image) {
        unfit(image).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
    }

    /** Adds the watermark for {@code payload} to {@code image}, whose working-grid luma is {@code luma} (stored layout). */
    private void addTo(BufferedImage image, float[] luma, int orientation, Payload payload) {
        int w = image.getWidth();
        int h = image.getHeight();
        Upsampler up = change(luma, w, h, orientation, payload);
        float[] row = new float[w];
        Dither dither = new Dither(payload.bits());
        for (int y = 0; y < h; y++) {
            up.row(y, row, 1f);
            Pixels.addRow(image, y, row, dither);
        }
    }

    /**
     * The watermark for {@code payload} as a change of luma (8-bit units) at every pixel of a
     * {@code w x h} image (stored layout) whose working-grid luma is {@code luma}: the keyed tile
     * laid out as the image is shown, weighted by the mask, scaled to {@link #TARGET_PSNR}.
     */
    private Upsampler change(float[] luma, int w, int h, int orientation, Payload payload) {
        Grid stored = Grid.of(w, h);
        double[] tile = layout.tile(payload);
        float[] mask = mask(luma, stored.width, stored.height);
        float[] field = new float[luma.length];
        Orientation view = new Orientation(orientation, stored.width, stored.height);
        for (int j = 0; j < stored.height; j++) {
            for (int i = 0; i < stored.width; i++) {
                int shown = view.shownIndex(i, j);
                int sx = shown % view.shownWidth();
                int sy = shown / view.shownWidth();
                field[j * stored.width + i] = (float) (mask[j * stored.width + i] * tile[(sy % T) * T + sx % T]);
            }
        }
        float[] amplitude = amplitudes(mask, field, stored.width, stored.height, w, h);
        for (int k = 0; k < field.length; k++) {
            field[k] = Math.signum(field[k]) * amplitude[k];
        }
        return new Upsampler(field, stored.width, stored.height, w, h);
    }

    /**
     * Looks for this key's watermark in {@code image}.
     *
     * @param orientation the Exif orientation the file gives (1 when it gives none)
     */
    public Detection detect(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean turned = orientation >= 5 && orientation <= 8;
        int shownW = turned ? h : w;
        int shownH = turned ? w : h;
        if (Math.min(w, h) < MIN_DETECT_SIDE) {
            return new Detection.TooSmall(shownW, shownH, MIN_DETECT_SIDE);
        }
        Grid stored = Grid.of(w, h);
        Orientation view = new Orientation(orientation, stored.width, stored.height);
        return search(view.toShown(Pixels.luma(image, stored.width, stored.height)), view.shownWidth(),
                view.shownHeight());
    }

    /** Detection on the working-grid luma as shown ({@code gw x gh}). */
    private Detection search(float[] luma, int gw, int gh) {
        float[] white = whiten(luma, gw, gh);

        List<Hypothesis> best = new ArrayList<>();
        double[] fold = new double[T * T];
        for (double s = MIN_SCALE; s <= MAX_SCALE; s *= SCALE_STEP) {
            fold(white, gw, gh, s, fold);
            best.add(locate(fold, s));
        }
        double topScore = best.stream().mapToDouble(Hypothesis::score).max().orElse(0);
        List<Hypothesis> tried = new ArrayList<>();
        for (Hypothesis candidate : best.stream().sorted(Comparator.comparingDouble(Hypothesis::score).reversed()).toList()) {
            if (tried.size() == HYPOTHESES) {
                break;
            }
            // hypotheses within 1% of a tried scale are the same peak seen twice
            if (tried.stream().anyMatch(t -> Math.abs(Math.log(t.scale / candidate.scale)) < 0.01)) {
                continue;
            }
            tried.add(candidate);
            Hypothesis refined = refine(white, gw, gh, candidate, fold);
            double[] soft = softBits(fold, refined.dx, refined.dy);
            Payload payload = layout.payloadIn(ConvolutionalCode.decode(soft, TileLayout.INFO_BITS));
            if (payload != null) {
                byte[] coded = ConvolutionalCode.encode(layout.info(payload));
                int agree = 0;
                for (int i = 0; i < coded.length; i++) {
                    if ((soft[i] > 0) == (coded[i] == 1)) {
                        agree++;
                    }
                }
                return new Detection.Found(payload, refined.score, refined.scale, (double) agree / coded.length);
            }
        }
        return new Detection.NotFound(topScore);
    }

    /**
     * The strength of the watermark at each working pixel, in 8-bit sample units: the mask times one
     * factor, found by bisection, that brings the peak signal-to-noise ratio to {@link #TARGET_PSNR}
     * dB, but never under {@value #MIN_AMPLITUDE}: weaker changes vanish into the rounding and
     * re-compression of flat areas, which in renders and skies are most of the image.
     */
    private static float[] amplitudes(float[] mask, float[] field, int gw, int gh, int w, int h) {
        // Upsampling smooths the cell pattern; measure by how much once, on the unit-strength field.
        double working = 0;
        for (float f : field) {
            working += f * f;
        }
        working /= field.length;
        double smoothing = new Upsampler(field, gw, gh, w, h).meanSquare() / working;
        double target = 255.0 * 255.0 / Math.pow(10, TARGET_PSNR / 10) / smoothing;
        double low = 0;
        double high = 64;
        for (int i = 0; i < 40; i++) {
            double alpha = (low + high) / 2;
            double sum = 0;
            for (float m : mask) {
                double a = Math.max(alpha * m, MIN_AMPLITUDE);
                sum += a * a;
            }
            if (sum / mask.length > target) {
                high = alpha;
            } else {
                low = alpha;
            }
        }
        float[] amplitude = new float[mask.length];
        for (int k = 0; k < mask.length; k++) {
            amplitude[k] = (float) Math.max(low * mask[k], MIN_AMPLITUDE);
        }
        return amplitude;
    }

    /** Per working pixel: 0.35 to 3 times the mean strength, following local activity. */
    private static float[] mask(float[] luma, int gw, int gh) {
        float[] smooth = boxMean(luma, gw, gh, 1);
        float[] detail = new float[luma.length];
        for (int i = 0; i < luma.length; i++) {
            detail[i] = Math.abs(luma[i] - smooth[i]);
        }
        float[] activity = boxMean(detail, gw, gh, 2);
        double mean = 0;
        for (float a : activity) {
            mean += a;
        }
        mean = mean / activity.length + 1e-3;
        float[] mask = new float[luma.length];
        for (int i = 0; i < luma.length; i++) {
            mask[i] = (float) Math.max(0.35, Math.min(3.0, activity[i] / mean));
        }
        return mask;
    }

    /** The difference from the 3 x 3 mean, divided by local activity; zero on a 2-pixel border. */
    private static float[] whiten(float[] luma, int gw, int gh) {
        float[] smooth = boxMean(luma, gw, gh, 1);
        float[] residual = new float[luma.length];
        float[] detail = new float[luma.length];
        for (int i = 0; i < luma.length; i++) {
            residual[i] = luma[i] - smooth[i];
            detail[i] = Math.abs(residual[i]);
        }
        float[] activity = boxMean(detail, gw, gh, 2);
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                int at = j * gw + i;
                boolean border = i < 2 || j < 2 || i >= gw - 2 || j >= gh - 2;
                residual[at] = border ? 0 : residual[at] / (activity[at] + 1.5f);
            }
        }
        return residual;
    }

    /** Mean over the (2r+1)^2 window, clamped at the edges; separable running sums. */
    static float[] boxMean(float[] in, int gw, int gh, int r) {
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                float sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += in[j * gw + Math.min(gw - 1, Math.max(0, i + k))];
                }
                tmp[j * gw + i] = sum;
            }
        }
        float norm = 1f / ((2 * r + 1) * (2 * r + 1));
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                float sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += tmp[Math.min(gh - 1, Math.max(0, j + k)) * gw + i];
                }
                out[j * gw + i] = sum * norm;
            }
        }
        return out;
    }

    /** Sums the grid onto one tile, as if its tile were {@code scale} times the embedded size. */
    private static void fold(float[] white, int gw, int gh, double scale, double[] fold) {
        fold(white, gw, gh, scale, 0, 0, fold);
    }

    /** As {@link #fold}, the grid first moved by ({@code phaseX}, {@code phaseY}) tile pixels (0 to 1). */
    private static void fold(float[] white, int gw, int gh, double scale, double phaseX, double phaseY, double[] fold) {
        java.util.Arrays.fill(fold, 0);
        int[] column = new int[gw];
        for (int i = 0; i < gw; i++) {
            column[i] = (int) (i / scale + phaseX) % T;
        }
        for (int j = 0; j < gh; j++) {
            int base = ((int) (j / scale + phaseY) % T) * T;
            int at = j * gw;
            for (int i = 0; i < gw; i++) {
                fold[base + column[i]] += white[at + i];
            }
        }
    }

    /**
     * The hypothesis made exact: the scale within a step of the search and the shift to half a
     * working pixel, both of which the coarse search leaves open and which cost bits when wrong.
     * Leaves the best fold in {@code fold}.
     */
    private Hypothesis refine(float[] white, int gw, int gh, Hypothesis coarse, double[] fold) {
        Hypothesis best = null;
        double[] bestFold = null;
        double step = (SCALE_STEP - 1) / 4;
        for (int k = -2; k <= 2; k++) {
            double scale = coarse.scale * (1 + k * step);
            for (int phase = 0; phase < 4; phase++) {
                double px = (phase & 1) * 0.5;
                double py = (phase >> 1) * 0.5;
                fold(white, gw, gh, scale, px, py, fold);
                Hypothesis h = locate(fold, scale);
                if (best == null || h.score > best.score) {
                    best = h;
                    bestFold = fold.clone();
                }
            }
        }
        System.arraycopy(bestFold, 0, fold, 0, fold.length);
        return best;
    }

    /** The shift at which the sync pattern best matches {@code fold}, and how well (a z-like score). */
    private Hypothesis locate(double[] fold, double scale) {
        double[] re = fold.clone();
        double[] im = new double[T * T];
        fft.transform(re, im, false);
        for (int k = 0; k < T * T; k++) {
            // conj(A) * Z
            double r = re[k] * syncFftRe[k] + im[k] * syncFftIm[k];
            double i = re[k] * syncFftIm[k] - im[k] * syncFftRe[k];
            re[k] = r;
            im[k] = i;
        }
        fft.transform(re, im, true);
        double energy = 0;
        for (double v : fold) {
            energy += v * v;
        }
        double sigma = Math.sqrt(energy / (T * T) * TileLayout.SYNC_CELLS * TileLayout.CELL * TileLayout.CELL);
        int bestAt = 0;
        for (int k = 1; k < T * T; k++) {
            if (re[k] > re[bestAt]) {
                bestAt = k;
            }
        }
        return new Hypothesis(scale, bestAt % T, bestAt / T, sigma == 0 ? 0 : re[bestAt] / sigma);
    }

    /** Soft readings of the coded bits from the fold, the tile starting at ({@code dx}, {@code dy}). */
    private double[] softBits(double[] fold, int dx, int dy) {
        double[] soft = new double[TileLayout.CODED_BITS];
        for (int cell = 0; cell < TileLayout.CELLS; cell++) {
            int bit = layout.cellBit[cell];
            if (bit < 0) {
                continue;
            }
            int cx = (cell % TileLayout.SIDE) * TileLayout.CELL;
            int cy = (cell / TileLayout.SIDE) * TileLayout.CELL;
            double sum = 0;
            for (int y = cy; y < cy + TileLayout.CELL; y++) {
                for (int x = cx; x < cx + TileLayout.CELL; x++) {
                    sum += fold[Math.floorMod(y - dy, T) * T + Math.floorMod(x - dx, T)];
                }
            }
            soft[bit] += layout.cellChip[cell] * sum;
        }
        return soft;
    }

    private record Hypothesis(double scale, int dx, int dy, double score) {
    }

    /** The working grid for an image: shorter side {@link #WORKING_SIDE}, the other in proportion. */
    private record Grid(int width, int height) {
        static Grid of(int w, int h) {
            double f = (double) WORKING_SIDE / Math.min(w, h);
            return new Grid(Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)));
        }
    }

    /**
     * Values in [-0.5, 0.5) added before rounding to 8-bit samples, so that a change smaller than
     * one level survives on average instead of rounding away (stochastic rounding). A xorshift
     * generator seeded by the payload: the same image and payload give the same bytes.
     */
    static final class Dither {
        private long state;

        Dither(long seed) {
            state = seed ^ 0x9E3779B97F4A7C15L;
            if (state == 0) {
                state = 1;
            }
        }

        float next() {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (float) ((state >>> 40) / (double) (1L << 24)) - 0.5f;
        }
    }

    /** Bilinear upsampling of a working-grid field to the image's pixels, one row at a time. */
    private static final class Upsampler {
        private final float[] field;
        private final int gw;
        private final int gh;
        private final int w;
        private final int h;
        private final int[] x0;
        private final float[] tx;

        Upsampler(float[] field, int gw, int gh, int w, int h) {
            this.field = field;
            this.gw = gw;
            this.gh = gh;
            this.w = w;
            this.h = h;
            x0 = new int[w];
            tx = new float[w];
            for (int x = 0; x < w; x++) {
                double u = Math.min(gw - 1.0, Math.max(0, (x + 0.5) * gw / w - 0.5));
                x0[x] = Math.min(gw - 2, (int) u);
                tx[x] = (float) (u - x0[x]);
            }
        }

        void row(int y, float[] out, float scale) {
            double v = Math.min(gh - 1.0, Math.max(0, (y + 0.5) * gh / h - 0.5));
            int y0 = Math.min(gh - 2, (int) v);
            float ty = (float) (v - y0);
            int top = y0 * gw;
            int bottom = top + gw;
            for (int x = 0; x < w; x++) {
                int i = x0[x];
                float t = tx[x];
                float a = field[top + i] + (field[top + i + 1] - field[top + i]) * t;
                float b = field[bottom + i] + (field[bottom + i + 1] - field[bottom + i]) * t;
                out[x] = (a + (b - a) * ty) * scale;
            }
        }

        /** The mean square of the upsampled field, estimated on every 4th row and column. */
        double meanSquare() {
            float[] out = new float[w];
            double sum = 0;
            long n = 0;
            for (int y = 0; y < h; y += 4) {
                row(y, out, 1f);
                for (int x = 0; x < w; x += 4) {
                    sum += out[x] * out[x];
                    n++;
                }
            }
            return sum / n;
        }
    }
}
