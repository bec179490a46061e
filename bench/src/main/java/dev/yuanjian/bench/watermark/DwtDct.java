package dev.yuanjian.bench.watermark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * The baseline: the {@code dwtDct} method of the Python package invisible-watermark (the watermark
 * Stable Diffusion's reference scripts put in their outputs), written here from its published
 * description, with its default settings: block 4, scales [0, 36, 36].
 *
 * <p>Embedding converts the image to YUV (OpenCV's 8-bit BGR2YUV), takes a one-level Haar DWT of
 * the U plane (cropped to a multiple of 4), splits the LL band into 4 x 4 blocks in row-major order,
 * and in each block's orthonormal DCT quantises the largest-magnitude AC coefficient to
 * {@code sign * (floor(|c| / scale) + 0.25 + 0.5 * bit) * scale}, block n carrying payload bit
 * n mod 64. Decoding reads {@code (|c| mod scale) > scale / 2} per block and takes the mean over
 * the repeats of each bit ({@code mean * 255 > 127}). Only U is used: the package's loops run over
 * channels 0 and 1 only, so its default V scale is never applied.
 *
 * <p>Two departures, both in the baseline's favour: the modified U plane is rounded to the nearest
 * level (the package assigns floats into its uint8 array, truncating), and the inverse DWT puts the
 * detail bands back where they were (the package's inverse swaps the horizontal and vertical ones,
 * which changes the U plane's detail wherever it is marked).
 */
final class DwtDct {
    static final int BLOCK = 4;
    static final double SCALE = 36;
    static final int BITS = 64;
    /** The orthonormal 4-point DCT-II matrix, row k = frequency k. */
    private static final double[][] C = new double[BLOCK][BLOCK];

    static {
        for (int k = 0; k < BLOCK; k++) {
            for (int n = 0; n < BLOCK; n++) {
                C[k][n] = (k == 0 ? Math.sqrt(1.0 / BLOCK) : Math.sqrt(2.0 / BLOCK))
                        * Math.cos(Math.PI * (2 * n + 1) * k / (2.0 * BLOCK));
            }
        }
    }

    private DwtDct() {
    }

    /** A copy of {@code image} (8-bit RGB) carrying the 64 bits of {@code payload}, most significant first. */
    static BufferedImage embed(BufferedImage image, long payload) {
        Planes p = Planes.of(image);
        int w = p.w;
        int h = p.h;
        int[] y = p.y;
        int[] u = p.u;
        int[] v = p.v;
        int rows = p.rows;
        int cols = p.cols;
        double[] ll = p.ll;
        int lw = cols / 2;
        int lh = rows / 2;
        double[] before = ll.clone();
        double[][] block = new double[BLOCK][BLOCK];
        double[][] coef = new double[BLOCK][BLOCK];
        int n = 0;
        for (int bi = 0; bi < lh / BLOCK; bi++) {
            for (int bj = 0; bj < lw / BLOCK; bj++) {
                read(ll, lw, bi, bj, block);
                dct(block, coef, false);
                int at = largestAc(coef);
                int i = at / BLOCK;
                int j = at % BLOCK;
                int bit = (int) (payload >>> (BITS - 1 - n % BITS)) & 1;
                double c = coef[i][j];
                double q = (Math.floor(Math.abs(c) / SCALE) + 0.25 + 0.5 * bit) * SCALE;
                coef[i][j] = c >= 0 ? q : -q;
                dct(coef, block, true);
                write(ll, lw, bi, bj, block);
                n++;
            }
        }
        // The inverse Haar with unchanged detail bands adds half the change of LL to each of its 4 pixels.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = (r / 2) * lw + c / 2;
                double changed = u[r * w + c] + (ll[k] - before[k]) / 2;
                u[r * w + c] = clamp(Math.round(changed));
            }
        }
        return Attack.fromRgb(fromYuv(y, u, v), w, h);
    }

    /** The 64 bits read from {@code image}, most significant first. */
    static long decode(BufferedImage image) {
        Planes p = Planes.of(image);
        double[] ll = p.ll;
        int lw = p.cols / 2;
        int lh = p.rows / 2;
        double[][] block = new double[BLOCK][BLOCK];
        double[][] coef = new double[BLOCK][BLOCK];
        int[] ones = new int[BITS];
        int[] seen = new int[BITS];
        int n = 0;
        for (int bi = 0; bi < lh / BLOCK; bi++) {
            for (int bj = 0; bj < lw / BLOCK; bj++) {
                read(ll, lw, bi, bj, block);
                dct(block, coef, false);
                int at = largestAc(coef);
                double magnitude = Math.abs(coef[at / BLOCK][at % BLOCK]);
                if (magnitude % SCALE > 0.5 * SCALE) {
                    ones[n % BITS]++;
                }
                seen[n % BITS]++;
                n++;
            }
        }
        long bits = 0;
        for (int b = 0; b < BITS; b++) {
            boolean one = seen[b] > 0 && (double) ones[b] / seen[b] * 255 > 127;
            bits = (bits << 1) | (one ? 1 : 0);
        }
        return bits;
    }

    /**
     * The image as YUV planes, with the LL band of a one-level Haar DWT of U over the largest area of
     * whole 4 x 4 pixel blocks ({@code rows} x {@code cols}): what both embedding and decoding start from.
     */
    private record Planes(int w, int h, int[] y, int[] u, int[] v, int rows, int cols, double[] ll) {
        static Planes of(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            int[] y = new int[w * h];
            int[] u = new int[w * h];
            int[] v = new int[w * h];
            toYuv(rgb(image), y, u, v);
            int rows = h / 4 * 4;
            int cols = w / 4 * 4;
            return new Planes(w, h, y, u, v, rows, cols, haarLl(u, w, rows, cols));
        }
    }

    /** Packed 0xRRGGBB pixels, read straight from the bytes of a {@code TYPE_3BYTE_BGR} image. */
    private static int[] rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
                || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)) {
            return image.getRGB(0, 0, w, h, null, 0, w);
        }
        byte[] bgr = buffer.getData();
        int[] rgb = new int[w * h];
        for (int k = 0; k < rgb.length; k++) {
            rgb[k] = (bgr[3 * k + 2] & 0xff) << 16 | (bgr[3 * k + 1] & 0xff) << 8 | bgr[3 * k] & 0xff;
        }
        return rgb;
    }

    /** The LL band of the orthonormal one-level Haar DWT of the top-left rows x cols of {@code plane}. */
    private static double[] haarLl(int[] plane, int w, int rows, int cols) {
        int lw = cols / 2;
        double[] ll = new double[(rows / 2) * lw];
        for (int r = 0; r < rows; r += 2) {
            for (int c = 0; c < cols; c += 2) {
                int a = r * w + c;
                ll[(r / 2) * lw + c / 2] = (plane[a] + plane[a + 1] + plane[a + w] + plane[a + w + 1]) / 2.0;
            }
        }
        return ll;
    }

    /** Index (row * 4 + column) of the largest-magnitude AC coefficient, the first of equals. */
    private static int largestAc(double[][] coef) {
        int best = 1;
        for (int k = 2; k < BLOCK * BLOCK; k++) {
            if (Math.abs(coef[k / BLOCK][k % BLOCK]) > Math.abs(coef[best / BLOCK][best % BLOCK])) {
                best = k;
            }
        }
        return best;
    }

    /** out = C in C^T (forward) or C^T in C (inverse). */
    private static void dct(double[][] in, double[][] out, boolean inverse) {
        double[][] tmp = new double[BLOCK][BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            for (int j = 0; j < BLOCK; j++) {
                double s = 0;
                for (int k = 0; k < BLOCK; k++) {
                    s += (inverse ? C[k][i] : C[i][k]) * in[k][j];
                }
                tmp[i][j] = s;
            }
        }
        for (int i = 0; i < BLOCK; i++) {
            for (int j = 0; j < BLOCK; j++) {
                double s = 0;
                for (int k = 0; k < BLOCK; k++) {
                    s += tmp[i][k] * (inverse ? C[k][j] : C[j][k]);
                }
                out[i][j] = s;
            }
        }
    }

    private static void read(double[] ll, int lw, int bi, int bj, double[][] block) {
        for (int i = 0; i < BLOCK; i++) {
            for (int j = 0; j < BLOCK; j++) {
                block[i][j] = ll[(bi * BLOCK + i) * lw + bj * BLOCK + j];
            }
        }
    }

    private static void write(double[] ll, int lw, int bi, int bj, double[][] block) {
        for (int i = 0; i < BLOCK; i++) {
            for (int j = 0; j < BLOCK; j++) {
                ll[(bi * BLOCK + i) * lw + bj * BLOCK + j] = block[i][j];
            }
        }
    }

    /** OpenCV's 8-bit RGB to YUV: Y = 0.299 R + 0.587 G + 0.114 B, U = 0.492 (B - Y) + 128, V = 0.877 (R - Y) + 128. */
    private static void toYuv(int[] rgb, int[] y, int[] u, int[] v) {
        for (int k = 0; k < rgb.length; k++) {
            int r = (rgb[k] >> 16) & 0xff;
            int g = (rgb[k] >> 8) & 0xff;
            int b = rgb[k] & 0xff;
            double luma = 0.299 * r + 0.587 * g + 0.114 * b;
            y[k] = clamp(Math.round(luma));
            u[k] = clamp(Math.round(0.492 * (b - luma) + 128));
            v[k] = clamp(Math.round(0.877 * (r - luma) + 128));
        }
    }

    /** OpenCV's 8-bit YUV to RGB: R = Y + 1.140 V', G = Y - 0.395 U' - 0.581 V', B = Y + 2.032 U'. */
    private static int[] fromYuv(int[] y, int[] u, int[] v) {
        int[] rgb = new int[y.length];
        for (int k = 0; k < y.length; k++) {
            double du = u[k] - 128;
            double dv = v[k] - 128;
            int r = clamp(Math.round(y[k] + 1.140 * dv));
            int g = clamp(Math.round(y[k] - 0.395 * du - 0.581 * dv));
            int b = clamp(Math.round(y[k] + 2.032 * du));
            rgb[k] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return rgb;
    }

    private static int clamp(long value) {
        return (int) Math.max(0, Math.min(255, value));
    }
}
