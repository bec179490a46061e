package dev.yuanjian.container;

import java.util.ArrayList;
import java.util.List;

/**
 * A baseline JPEG's quantised DCT coefficients, read exactly from its Huffman-coded data and
 * written back (ITU-T T.81: SOF0 or SOF1, 8-bit samples, Huffman coding, 1 to 4 components with
 * any sampling factors 1..4, interleaved and single-component scans, restart intervals). Marks
 * that change a JPEG change these coefficients directly instead of decoding to pixels and
 * re-encoding: no decoding cost, and a block nobody changed is written back bit for bit (the
 * quantisation tables are the original's, so the same coefficients decode to the same pixels).
 *
 * <p>Everything else (progressive, arithmetic, lossless, hierarchical, 12-bit coding, a DNL
 * marker, tables or segments between scans, damaged data) is {@link NotHandled}, with the
 * reason: the caller decodes pixels instead. Untrusted input: the frame's size is checked before
 * anything is allocated (at most {@link ImagePixels#MAX_PIXELS} pixels, and no more blocks than
 * the file's bytes could code at 2 bits a block), every loop advances through the file, and no
 * bit is read past the data.
 *
 * <p>Writing keeps every segment before the first scan byte for byte (APPn, COM, DQT, SOF) except
 * the Huffman tables and restart interval, which it writes before each scan: tables computed
 * optimally for the coefficients as they are now (T.81 K.2; changed coefficients may need codes
 * the original tables lack), the original restart interval. Not thread-safe: one caller changes
 * one instance.
 */
public final class JpegCoefficients {
    /** Zigzag position (T.81 Figure A.6) to row-major position in an 8 x 8 block. */
    static final int[] NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63};

    /** The outcome of {@link #read}. */
    public sealed interface Read permits Decoded, NotHandled {
    }

    /** The file is a baseline JPEG and these are its coefficients. */
    public record Decoded(JpegCoefficients coefficients) implements Read {
    }

    /** The file is coded in a way this reader leaves to a pixel decoder, or is damaged; {@code reason} says which. */
    public record NotHandled(String reason) implements Read {
    }

    /** How the components map to colour, as the JDK's decoder reads them. */
    public enum Colour {
        /** One component: grey. */
        GREY,
        /** Three components, Y Cb Cr (JFIF, or no Adobe transform 0 and no R G B ids). */
        YCBCR,
        /** Any other: RGB coded without transform, CMYK, YCCK, two components. */
        OTHER
    }

    static final class Unhandled extends Exception {
        Unhandled(String reason) {
            super(reason, null, false, false);
        }
    }

    /** One component: its sampling, quantisation table, and blocks over the whole MCU grid. */
    public static final class Component {
        final int id;
        final int h;
        final int v;
        final int table;
        final int blocksWide;
        final int blocksHigh;
        final int codedWide;
        final int codedHigh;
        final short[] coefficients;
        int[] quantisation;
        boolean scanned;

        Component(int id, int h, int v, int table, int blocksWide, int blocksHigh, int codedWide, int codedHigh) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.table = table;
            this.blocksWide = blocksWide;
            this.blocksHigh = blocksHigh;
            this.codedWide = codedWide;
            this.codedHigh = codedHigh;
            this.coefficients = new short[blocksWide * blocksHigh * 64];
        }

        /** Horizontal sampling factor, 1..4. */
        public int h() {
            return h;
        }

        /** Vertical sampling factor, 1..4. */
        public int v() {
            return v;
        }

        /** Blocks across the MCU grid (a multiple of {@link #h}), some possibly past the image's edge. */
        public int blocksWide() {
            return blocksWide;
        }

        /** Blocks down the MCU grid. */
        public int blocksHigh() {
            return blocksHigh;
        }

        /** Coefficient {@code k} (row-major, {@code 8 * v + u}) of block ({@code bx}, {@code by}), in quantisation steps. */
        public int get(int bx, int by, int k) {
            return coefficients[(by * blocksWide + bx) * 64 + k];
        }
    }

    record Scan(int[] components, int restartInterval) {
    }

    private final byte[] source;
    private final int width;
    private final int height;
    private final int hmax;
    private final int vmax;
    private final int mcusWide;
    private final int mcusHigh;
    private final Component[] components;
    private final Colour colour;
    private final List<int[]> kept;
    private List<Scan> scans;
    private final int end;

    private JpegCoefficients(JpegParser p) {
        source = p.b;
        width = p.width;
        height = p.height;
        hmax = p.hmax;
        vmax = p.vmax;
        mcusWide = p.mcusWide;
        mcusHigh = p.mcusHigh;
        components = p.components;
        colour = p.colour();
        kept = p.kept;
        scans = p.scans;
        end = p.end;
    }

    /**
     * The coefficients of the first image in {@code jpeg} (from its SOI at offset 0 to its EOI), or
     * why they are not read here. Never throws for any input.
     */
    public static Read read(byte[] jpeg) {
        try {
            JpegParser p = new JpegParser(jpeg);
            p.parse();
            return new Decoded(new JpegCoefficients(p));
        } catch (Unhandled u) {
            return new NotHandled(u.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            // Only a bug can get here (every index is checked); the caller still has the pixel path.
            return new NotHandled("the coefficient reader failed (" + e + ")");
        }
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    public Colour colour() {
        return colour;
    }

    /** How many components (1..4). */
    public int componentCount() {
        return components.length;
    }

    /** Component {@code i} in frame order (0 is luma in Y Cb Cr and grey images). */
    public Component component(int i) {
        return components[i];
    }

    /** The largest horizontal sampling factor: a component of factor {@code h} has {@code h / hmax} of the pixels across. */
    public int maxH() {
        return hmax;
    }

    /** The largest vertical sampling factor. */
    public int maxV() {
        return vmax;
    }

    /** Samples of one component, row-major, 0..255. */
    public record Plane(float[] samples, int width, int height) {
    }

    /** A change to one component's samples, given a row at a time ({@code out} is as wide as the component). */
    @FunctionalInterface
    public interface SampleRows {
        void row(int y, float[] out);
    }

    /**
     * Component {@code component} decoded at {@code eighths}/8 of its size (1, 2, 4 or 8), as
     * libjpeg's scaled decoding does: each block's lowest {@code eighths} x {@code eighths}
     * frequencies through an inverse DCT of that size, which samples the block's full
     * reconstruction at the centres of the smaller grid (1/8: the blocks' DC values). The plane is
     * {@code ceil(samples * eighths / 8)} on each side, where the component has {@code ceil(width * h /
     * maxH)} samples across. Costs one pass over the blocks and nothing for the frequencies left out.
     */
    public Plane scaled(int component, int eighths) {
        if (eighths != 1 && eighths != 2 && eighths != 4 && eighths != 8) {
            throw new IllegalArgumentException("scale must be 1, 2, 4 or 8 eighths, not " + eighths);
        }
        Component c = components[component];
        int n = eighths;
        int pw = ceil(ceil(width * c.h, hmax) * n, 8);
        int ph = ceil(ceil(height * c.v, vmax) * n, 8);
        float[] plane = new float[pw * ph];
        double[] basis = Dct.basis(n);
        double[] f = new double[n * n];
        double[] tmp = new double[n * n];
        for (int by = 0; by < c.codedHigh; by++) {
            for (int bx = 0; bx < c.codedWide; bx++) {
                int base = (by * c.blocksWide + bx) * 64;
                for (int v = 0; v < n; v++) {
                    for (int u = 0; u < n; u++) {
                        f[v * n + u] = c.coefficients[base + 8 * v + u] * c.quantisation[8 * v + u];
                    }
                }
                Dct.inverse(f, tmp, basis, n);
                for (int y = 0; y < n && by * n + y < ph; y++) {
                    for (int x = 0; x < n && bx * n + x < pw; x++) {
                        double value = f[y * n + x] + 128;
                        plane[(by * n + y) * pw + bx * n + x] = (float) (value < 0 ? 0 : Math.min(255, value));
                    }
                }
            }
        }
        return new Plane(plane, pw, ph);
    }

    /**
     * Adds {@code change} (in sample units, for every sample of component {@code component}) to its
     * blocks: each block's change through the forward DCT, divided by the quantisation step and
     * rounded to the nearest step; a block whose change is zero everywhere is not touched. (Stochastic rounding of the lowest frequencies, as the pixel
     * path dithers, was measured: no stronger detection after JPEG 50, resizing and cropping, and
     * 0.1 to 0.7 dB lower PSNR; docs/benchmarks.md.) Samples past the image's edge repeat the last
     * one; blocks wholly outside the image (MCU padding) are left as they are.
     */
    public void add(int component, SampleRows change) {
        Component c = components[component];
        add(component, change, 0, 0, c.codedWide, c.codedHigh);
    }

    /**
     * {@link #add} on the blocks from ({@code bx0}, {@code by0}) to before ({@code bx1}, {@code by1})
     * only: for a change known to be zero outside them, the same result without a pass over the
     * whole component.
     */
    private void add(int component, SampleRows change, int bx0, int by0, int bx1, int by1) {
        Component c = components[component];
        int sw = ceil(width * c.h, hmax);
        int sh = ceil(height * c.v, vmax);
        float[][] rows = new float[8][sw];
        double[] block = new double[64];
        double[] tmp = new double[64];
        for (int by = by0; by < by1; by++) {
            for (int r = 0; r < 8; r++) {
                int y = by * 8 + r;
                if (y < sh) {
                    change.row(y, rows[r]);
                } else {
                    System.arraycopy(rows[r - 1], 0, rows[r], 0, sw);
                }
            }
            for (int bx = bx0; bx < bx1; bx++) {
                for (int r = 0; r < 8; r++) {
                    float[] row = rows[r];
                    for (int i = 0; i < 8; i++) {
                        block[r * 8 + i] = row[Math.min(bx * 8 + i, sw - 1)];
                    }
                }
                if (zero(block)) {
                    continue;
                }
                Dct.forward(block, tmp);
                int base = (by * c.blocksWide + bx) * 64;
                for (int k = 0; k < 64; k++) {
                    double steps = block[k] / c.quantisation[k];
                    int delta = (int) Math.rint(steps);
                    if (delta != 0) {
                        int low = k == 0 ? -1024 : -1023;
                        c.coefficients[base + k] = (short) Math.max(low, Math.min(1023, c.coefficients[base + k] + delta));
                    }
                }
            }
        }
    }

    /**
     * The pixels of {@code region} (stored coordinates, inside the image) as {@code TYPE_INT_RGB},
     * decoded from the blocks under it alone: inverse DCT, colour samples repeated over the pixels
     * they cover, Y Cb Cr to RGB as JFIF defines it (grey: Y in all three). For a caller that
     * changes a few pixels and gives the change back through {@link #addChange}; not the JDK's
     * decoding bit for bit (it interpolates colour samples), which does not matter there: only the
     * difference is applied.
     *
     * @throws IllegalStateException when {@link #colour} is {@link Colour#OTHER}
     */
    public java.awt.image.BufferedImage pixels(java.awt.Rectangle region) {
        requireLumaChroma();
        float[][] planes = new float[components.length][];
        for (int ci = 0; ci < components.length; ci++) {
            planes[ci] = samples(components[ci], region);
        }
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(region.width, region.height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        int[] row = new int[region.width];
        for (int y = 0; y < region.height; y++) {
            for (int x = 0; x < region.width; x++) {
                float luma = planes[0][y * region.width + x];
                if (components.length == 1) {
                    int g = clamp(luma);
                    row[x] = (g << 16) | (g << 8) | g;
                    continue;
                }
                float cb = planes[1][y * region.width + x] - 128;
                float cr = planes[2][y * region.width + x] - 128;
                row[x] = (clamp(luma + 1.402f * cr) << 16) | (clamp(luma - 0.344136f * cb - 0.714136f * cr) << 8)
                        | clamp(luma + 1.772f * cb);
            }
            out.setRGB(0, y, region.width, 1, row, 0, region.width);
        }
        return out;
    }

    /**
     * The whole image at {@code eighths}/8 of its size (1, 2, 4 or 8) as RGB, each component through
     * {@link #scaled} (chroma planes sampled at the matching position): a preview for thumbnails that
     * costs one pass over the blocks and no full decode.
     *
     * @throws IllegalStateException when {@link #colour} is {@link Colour#OTHER}
     */
    public java.awt.image.BufferedImage preview(int eighths) {
        requireLumaChroma();
        Plane[] planes = new Plane[components.length];
        for (int ci = 0; ci < components.length; ci++) {
            planes[ci] = scaled(ci, eighths);
        }
        int w = Math.min(planes[0].width(), ceil(width * eighths, 8));
        int h = Math.min(planes[0].height(), ceil(height * eighths, 8));
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float luma = sample(planes[0], x, y, w, h);
                if (planes.length == 1) {
                    int g = clamp(luma);
                    row[x] = (g << 16) | (g << 8) | g;
                    continue;
                }
                float cb = sample(planes[1], x, y, w, h) - 128;
                float cr = sample(planes[2], x, y, w, h) - 128;
                row[x] = (clamp(luma + 1.402f * cr) << 16) | (clamp(luma - 0.344136f * cb - 0.714136f * cr) << 8)
                        | clamp(luma + 1.772f * cb);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** The sample of {@code plane} covering position (x, y) of a {@code w x h} image. */
    private static float sample(Plane plane, int x, int y, int w, int h) {
        int px = Math.min(plane.width() - 1, (int) ((long) x * plane.width() / w));
        int py = Math.min(plane.height() - 1, (int) ((long) y * plane.height() / h));
        return plane.samples()[py * plane.width() + px];
    }

    /**
     * Adds the change from {@code before} to {@code after} (RGB images of {@code region}, as
     * {@link #pixels} gives) to every component: as Y, Cb and Cr (JFIF), each colour component's
     * change averaged over the pixels a sample covers, through {@link #add}. A block under no
     * changed pixel keeps its coefficients bit for bit.
     *
     * @throws IllegalStateException when {@link #colour} is {@link Colour#OTHER}
     */
    public void addChange(java.awt.Rectangle region, java.awt.image.BufferedImage before, java.awt.image.BufferedImage after) {
        requireLumaChroma();
        int rw = region.width;
        int rh = region.height;
        int[] a = before.getRGB(0, 0, rw, rh, null, 0, rw);
        int[] b = after.getRGB(0, 0, rw, rh, null, 0, rw);
        for (int ci = 0; ci < components.length; ci++) {
            Component c = components[ci];
            int x0 = region.x * c.h / hmax;
            int y0 = region.y * c.v / vmax;
            int cw = ceil((region.x + rw) * c.h, hmax) - x0;
            int ch = ceil((region.y + rh) * c.v, vmax) - y0;
            float[] sum = new float[cw * ch];
            int[] count = new int[cw * ch];
            boolean changed = false;
            for (int y = 0; y < rh; y++) {
                int sy = (region.y + y) * c.v / vmax - y0;
                for (int x = 0; x < rw; x++) {
                    int p = a[y * rw + x];
                    int q = b[y * rw + x];
                    int dr = ((q >> 16) & 0xff) - ((p >> 16) & 0xff);
                    int dg = ((q >> 8) & 0xff) - ((p >> 8) & 0xff);
                    int db = (q & 0xff) - (p & 0xff);
                    float d = switch (ci) {
                        case 0 -> components.length == 1 ? dg : 0.299f * dr + 0.587f * dg + 0.114f * db;
                        case 1 -> -0.168736f * dr - 0.331264f * dg + 0.5f * db;
                        default -> 0.5f * dr - 0.418688f * dg - 0.081312f * db;
                    };
                    int at = sy * cw + (region.x + x) * c.h / hmax - x0;
                    sum[at] += d;
                    count[at]++;
                    changed |= d != 0;
                }
            }
            if (!changed) {
                continue;
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= Math.max(1, count[i]);
            }
            // Only the blocks under the region can change; the rest of the component is not visited.
            add(ci, (y, out) -> {
                java.util.Arrays.fill(out, 0f);
                if (y >= y0 && y < y0 + ch) {
                    System.arraycopy(sum, (y - y0) * cw, out, x0, Math.min(cw, out.length - x0));
                }
            }, x0 / 8, y0 / 8, Math.min(c.codedWide, ceil(x0 + cw, 8)), Math.min(c.codedHigh, ceil(y0 + ch, 8)));
        }
    }

    /** Component {@code c}'s samples under {@code region}, one per pixel (colour samples repeated), decoded block by block. */
    private float[] samples(Component c, java.awt.Rectangle region) {
        int bx0 = region.x * c.h / hmax / 8;
        int by0 = region.y * c.v / vmax / 8;
        int bx1 = ((region.x + region.width - 1) * c.h / hmax) / 8;
        int by1 = ((region.y + region.height - 1) * c.v / vmax) / 8;
        int pw = (bx1 - bx0 + 1) * 8;
        float[] plane = new float[pw * (by1 - by0 + 1) * 8];
        double[] basis = Dct.basis(8);
        double[] f = new double[64];
        double[] tmp = new double[64];
        for (int by = by0; by <= by1; by++) {
            for (int bx = bx0; bx <= bx1; bx++) {
                int base = (by * c.blocksWide + bx) * 64;
                for (int k = 0; k < 64; k++) {
                    f[k] = c.coefficients[base + k] * c.quantisation[k];
                }
                Dct.inverse(f, tmp, basis, 8);
                for (int k = 0; k < 64; k++) {
                    plane[((by - by0) * 8 + k / 8) * pw + (bx - bx0) * 8 + k % 8] = (float) (f[k] + 128);
                }
            }
        }
        float[] out = new float[region.width * region.height];
        for (int y = 0; y < region.height; y++) {
            int sy = (region.y + y) * c.v / vmax - by0 * 8;
            for (int x = 0; x < region.width; x++) {
                out[y * region.width + x] = plane[sy * pw + (region.x + x) * c.h / hmax - bx0 * 8];
            }
        }
        return out;
    }

    private void requireLumaChroma() {
        if (colour == Colour.OTHER) {
            throw new IllegalStateException("only grey and Y Cb Cr JPEGs are changed as pixels here");
        }
    }

    private static boolean zero(double[] block) {
        for (double v : block) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static int clamp(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    /**
     * Writes one scan per component from now on, each with the first scan's restart interval: the
     * layout some encoders choose, so tests can prove it decodes the same as the interleaved one.
     */
    void splitScans() {
        List<Scan> split = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            split.add(new Scan(new int[] {i}, scans.get(0).restartInterval));
        }
        scans = split;
    }

    /** Offset just after the first image's EOI in the bytes read. */
    int end() {
        return end;
    }

    /**
     * The first image, SOI to EOI, with the coefficients as they are now: see the class comment
     * for what is kept and what is written anew.
     */
    public byte[] write() {
        JpegBits.Writer out = new JpegBits.Writer(end + end / 8);
        out.raw(source, 0, 2);
        for (int[] range : kept) {
            out.raw(source, range[0], range[1] - range[0]);
        }
        int restart = 0;
        // About 1.7 symbols a byte of the original's data on a photo (measured): one buffer, rarely grown.
        Coding coding = new Coding(2 * end);
        for (Scan scan : scans) {
            if (scan.restartInterval != restart) {
                restart = scan.restartInterval;
                out.raw(0xFF, 0xDD, 0, 4, restart >> 8, restart & 0xff);
            }
            coding.clear();
            code(scan, coding);
            JpegHuffman[] tables = new JpegHuffman[4];
            int n = scan.components.length == 1 ? 1 : 2;
            List<Integer> segment = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                for (int ac = 0; ac < 2; ac++) {
                    JpegHuffman table = JpegHuffman.optimal(coding.counts[t * 2 + ac]);
                    tables[t * 2 + ac] = table;
                    segment.add((ac << 4) | t);
                    for (int len = 1; len <= 16; len++) {
                        segment.add(table.bits[len]);
                    }
                    for (int value : table.values) {
                        segment.add(value);
                    }
                }
            }
            int length = segment.size() + 2;
            out.raw(0xFF, 0xC4, length >> 8, length & 0xff);
            for (int value : segment) {
                out.raw(value);
            }
            int ns = scan.components.length;
            out.raw(0xFF, 0xDA, 0, 6 + 2 * ns, ns);
            for (int i = 0; i < ns; i++) {
                int t = i == 0 ? 0 : 1;
                out.raw(components[scan.components[i]].id, (t << 4) | t);
            }
            out.raw(0, 63, 0);
            coding.emit(out, tables);
            out.align();
        }
        out.raw(0xFF, 0xD9);
        return out.bytes();
    }

    /**
     * One scan's coding, recorded once and emitted after the tables are known (the tables depend on
     * the counts of every symbol, so the blocks would otherwise be coded twice). One int per symbol:
     * bits 0..10 its extra bits (at most 11, T.81 F.1.2.1), 11..14 their length, 15..22 the symbol,
     * 23..24 the table (0/1 DC/AC of the first component, 2/3 of the others); a restart marker RSTn
     * is {@code -1 - n}. Symbol counts per table are kept as the symbols arrive.
     */
    private static final class Coding {
        final long[][] counts = new long[4][256];
        private int[] codes;
        private int n;

        Coding(int capacity) {
            codes = new int[Math.max(1024, capacity)];
        }

        void clear() {
            n = 0;
            for (long[] c : counts) {
                java.util.Arrays.fill(c, 0);
            }
        }

        void symbol(int table, int symbol, int bits, int length) {
            counts[table][symbol]++;
            if (n == codes.length) {
                codes = java.util.Arrays.copyOf(codes, codes.length * 2);
            }
            codes[n++] = (table << 23) | (symbol << 15) | (length << 11) | (bits & ((1 << length) - 1));
        }

        void restart(int marker) {
            if (n == codes.length) {
                codes = java.util.Arrays.copyOf(codes, codes.length * 2);
            }
            codes[n++] = -1 - marker;
        }

        /** Each symbol's code followed by its extra bits (at most 16 + 11 bits, one put). */
        void emit(JpegBits.Writer out, JpegHuffman[] tables) {
            for (int i = 0; i < n; i++) {
                int e = codes[i];
                if (e < 0) {
                    out.align();
                    out.raw(0xFF, 0xD0 + (-1 - e));
                    continue;
                }
                JpegHuffman t = tables[e >>> 23];
                int symbol = (e >>> 15) & 0xff;
                int length = (e >>> 11) & 15;
                out.put((t.code[symbol] << length) | (e & 0x7ff), t.size[symbol] + length);
            }
        }
    }

    /** Codes every block of {@code scan} into {@code coding} (T.81 F.1.2), tables 0/1 DC and AC for the first / other components. */
    private void code(Scan scan, Coding coding) {
        int[] pred = new int[components.length];
        int[] at = scan.components;
        Units units = new Units(at.length == 1 ? components[at[0]] : null);
        int restarts = 0;
        for (int unit = 0; unit < units.count; unit++) {
            if (scan.restartInterval > 0 && unit > 0 && unit % scan.restartInterval == 0) {
                coding.restart(restarts++ & 7);
                java.util.Arrays.fill(pred, 0);
            }
            for (int i = 0; i < at.length; i++) {
                Component c = components[at[i]];
                int table = i == 0 ? 0 : 2;
                if (units.single != null) {
                    pred[i] = codeBlock(c, unit % units.wide, unit / units.wide, pred[i], table, coding);
                    continue;
                }
                int mx = unit % mcusWide;
                int my = unit / mcusWide;
                for (int y = 0; y < c.v; y++) {
                    for (int x = 0; x < c.h; x++) {
                        pred[i] = codeBlock(c, mx * c.h + x, my * c.v + y, pred[i], table, coding);
                    }
                }
            }
        }
    }

    private static int codeBlock(Component c, int bx, int by, int pred, int table, Coding coding) {
        short[] q = c.coefficients;
        int base = (by * c.blocksWide + bx) * 64;
        int dc = q[base];
        int diff = dc - pred;
        int s = category(diff);
        coding.symbol(table, s, diff < 0 ? diff - 1 : diff, s);
        // Which AC coefficients are not zero, bit k for zigzag position k: the loop below visits
        // only those (most are zero) instead of branching on each of 63.
        long nonzero = 0;
        for (int k = 1; k < 64; k++) {
            nonzero |= (long) ((q[base + NATURAL[k]] | -q[base + NATURAL[k]]) >>> 31) << k;
        }
        int last = 0;
        while (nonzero != 0) {
            int k = Long.numberOfTrailingZeros(nonzero);
            nonzero &= nonzero - 1;
            int run = k - last - 1;
            last = k;
            while (run > 15) {
                coding.symbol(table + 1, 0xF0, 0, 0);
                run -= 16;
            }
            int value = q[base + NATURAL[k]];
            int size = category(value);
            coding.symbol(table + 1, (run << 4) | size, value < 0 ? value - 1 : value, size);
        }
        if (last < 63) {
            coding.symbol(table + 1, 0x00, 0, 0);
        }
        return dc;
    }

    private static int category(int value) {
        return 32 - Integer.numberOfLeadingZeros(Math.abs(value));
    }

    /** The units a scan codes: MCUs of the frame, or a single component's blocks inside its own edge. */
    private final class Units {
        final Component single;
        final int wide;
        final int count;

        Units(Component single) {
            this.single = single;
            this.wide = single == null ? mcusWide : single.codedWide;
            this.count = single == null ? mcusWide * mcusHigh : single.codedWide * single.codedHigh;
        }
    }

    static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
