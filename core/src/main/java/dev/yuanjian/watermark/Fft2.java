package dev.yuanjian.watermark;

/**
 * An in-place complex radix-2 FFT over square arrays whose side is a power of two, used for the
 * cyclic cross-correlation that finds where a watermark tile starts (64 x 64 here: one correlation
 * costs two transforms instead of 16 million multiplications).
 */
final class Fft2 {
    private final int n;
    private final double[] cos;
    private final double[] sin;
    private final int[] reversed;

    Fft2(int n) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("side must be a power of two: " + n);
        }
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = -Math.sin(2 * Math.PI * i / n);
        }
        reversed = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /** Transforms {@code re, im} (row-major, n x n) in place; {@code inverse} includes the 1/n^2 scale. */
    void transform(double[] re, double[] im, boolean inverse) {
        double[] rowRe = new double[n];
        double[] rowIm = new double[n];
        for (int pass = 0; pass < 2; pass++) {
            for (int line = 0; line < n; line++) {
                for (int k = 0; k < n; k++) {
                    int at = pass == 0 ? line * n + k : k * n + line;
                    rowRe[k] = re[at];
                    rowIm[k] = im[at];
                }
                line(rowRe, rowIm, inverse);
                for (int k = 0; k < n; k++) {
                    int at = pass == 0 ? line * n + k : k * n + line;
                    re[at] = rowRe[k];
                    im[at] = rowIm[k];
                }
            }
        }
        if (inverse) {
            double scale = 1.0 / ((double) n * n);
            for (int i = 0; i < re.length; i++) {
                re[i] *= scale;
                im[i] *= scale;
            }
        }
    }

    private void line(double[] re, double[] im, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            int half = size / 2;
            int step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = inverse ? -sin[k * step] : sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = wr * re[b] - wi * im[b];
                    double ti = wr * im[b] + wi * re[b];
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
