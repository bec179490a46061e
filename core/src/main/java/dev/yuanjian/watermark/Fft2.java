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
    private final double[] inverseSin;
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
        inverseSin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            inverseSin[i] = -sin[i];
        }
        reversed = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /**
     * Transforms {@code re, im} (row-major, n x n) in place; {@code inverse} includes the 1/n^2 scale.
     * Rows where they lie, then columns (the detector runs about 500 of these per image). Thread-safe: the instance holds only its tables.
     */
    void transform(double[] re, double[] im, boolean inverse) {
        double[] sines = inverse ? inverseSin : sin;
        for (int line = 0; line < n; line++) {
            line(re, im, line * n, 1, sines);
        }
        // Columns through a contiguous copy: transforming them in place, 8 n bytes apart, was slower.
        double[] columnRe = new double[n];
        double[] columnIm = new double[n];
        for (int line = 0; line < n; line++) {
            for (int k = 0; k < n; k++) {
                columnRe[k] = re[k * n + line];
                columnIm[k] = im[k * n + line];
            }
            line(columnRe, columnIm, 0, 1, sines);
            for (int k = 0; k < n; k++) {
                re[k * n + line] = columnRe[k];
                im[k * n + line] = columnIm[k];
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

    /** One n-point transform of the elements {@code from + k * stride}. */
    private void line(double[] re, double[] im, int from, int stride, double[] sines) {
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                int a = from + i * stride;
                int b = from + j * stride;
                double t = re[a];
                re[a] = re[b];
                re[b] = t;
                t = im[a];
                im[a] = im[b];
                im[b] = t;
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            int half = size / 2;
            int step = n / size;
            for (int start = 0; start < n; start += size) {
                // k = 0: the twiddle is 1 (sine 0), so the butterfly needs no multiplication.
                int a0 = from + start * stride;
                int b0 = a0 + half * stride;
                double r0 = re[b0];
                double i0 = im[b0];
                re[b0] = re[a0] - r0;
                im[b0] = im[a0] - i0;
                re[a0] += r0;
                im[a0] += i0;
                for (int k = 1; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sines[k * step];
                    int a = from + (start + k) * stride;
                    int b = a + half * stride;
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
