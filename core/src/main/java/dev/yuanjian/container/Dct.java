package dev.yuanjian.container;

/**
 * The 8 x 8 DCT of JPEG (ITU-T T.81 A.3.3), separable, in doubles: forward on a block of
 * samples, inverse of size n = 1, 2, 4 or 8 on a block's lowest n x n frequencies (scaled
 * decoding). Orthonormal, so a change's energy is the same in samples and in coefficients.
 */
final class Dct {
    private Dct() {
    }

    /** {@code basis[u * n + x] = C(u)/2 cos((2x+1) u pi / 2n)}: the 8-point basis sampled at an n-point grid's centres. */
    static double[] basis(int n) {
        double[] basis = new double[n * n];
        for (int u = 0; u < n; u++) {
            for (int x = 0; x < n; x++) {
                basis[u * n + x] = (u == 0 ? Math.sqrt(0.5) : 1) / 2 * Math.cos((2 * x + 1) * u * Math.PI / (2 * n));
            }
        }
        return basis;
    }

    private static final double C1 = Math.cos(1 * Math.PI / 16) / 2;
    private static final double C2 = Math.cos(2 * Math.PI / 16) / 2;
    private static final double C3 = Math.cos(3 * Math.PI / 16) / 2;
    private static final double C4 = Math.cos(4 * Math.PI / 16) / 2;
    private static final double C5 = Math.cos(5 * Math.PI / 16) / 2;
    private static final double C6 = Math.cos(6 * Math.PI / 16) / 2;
    private static final double C7 = Math.cos(7 * Math.PI / 16) / 2;

    /**
     * {@code block} (row-major samples) replaced by its coefficients ({@code 8 * v + u}); {@code tmp}
     * is scratch. Each 8-point transform is split into sums and differences of mirrored samples
     * (the even outputs from the sums, the odd from the differences): 22 multiplications instead
     * of 64, the same values as {@link #basis}{@code (8)} applied directly up to rounding.
     */
    static void forward(double[] block, double[] tmp) {
        for (int y = 0; y < 8; y++) {
            line(block, y * 8, 1, tmp, y * 8, 1);
        }
        for (int u = 0; u < 8; u++) {
            line(tmp, u, 8, block, u, 8);
        }
    }

    private static void line(double[] in, int from, int step, double[] out, int to, int outStep) {
        double x0 = in[from];
        double x1 = in[from + step];
        double x2 = in[from + 2 * step];
        double x3 = in[from + 3 * step];
        double x4 = in[from + 4 * step];
        double x5 = in[from + 5 * step];
        double x6 = in[from + 6 * step];
        double x7 = in[from + 7 * step];
        double s0 = x0 + x7;
        double s1 = x1 + x6;
        double s2 = x2 + x5;
        double s3 = x3 + x4;
        double d0 = x0 - x7;
        double d1 = x1 - x6;
        double d2 = x2 - x5;
        double d3 = x3 - x4;
        double a = s0 + s3;
        double b = s1 + s2;
        double c = s0 - s3;
        double e = s1 - s2;
        out[to] = (a + b) * C4;
        out[to + 4 * outStep] = (a - b) * C4;
        out[to + 2 * outStep] = c * C2 + e * C6;
        out[to + 6 * outStep] = c * C6 - e * C2;
        out[to + outStep] = d0 * C1 + d1 * C3 + d2 * C5 + d3 * C7;
        out[to + 3 * outStep] = d0 * C3 - d1 * C7 - d2 * C1 - d3 * C5;
        out[to + 5 * outStep] = d0 * C5 - d1 * C1 + d2 * C7 + d3 * C3;
        out[to + 7 * outStep] = d0 * C7 - d1 * C5 + d2 * C3 - d3 * C1;
    }

    /** {@code f} (n x n dequantised coefficients, {@code n * v + u}) replaced by n x n samples, before the level shift. */
    static void inverse(double[] f, double[] tmp, double[] basis, int n) {
        for (int v = 0; v < n; v++) {
            for (int x = 0; x < n; x++) {
                double sum = 0;
                for (int u = 0; u < n; u++) {
                    sum += basis[u * n + x] * f[v * n + u];
                }
                tmp[v * n + x] = sum;
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double sum = 0;
                for (int v = 0; v < n; v++) {
                    sum += basis[v * n + y] * tmp[v * n + x];
                }
                f[y * n + x] = sum;
            }
        }
    }
}
