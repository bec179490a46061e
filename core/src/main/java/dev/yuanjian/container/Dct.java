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

    /** {@code block} (row-major samples) replaced by its coefficients ({@code 8 * v + u}); {@code tmp} is scratch. */
    static void forward(double[] block, double[] tmp, double[] basis) {
        for (int y = 0; y < 8; y++) {
            for (int u = 0; u < 8; u++) {
                double sum = 0;
                for (int x = 0; x < 8; x++) {
                    sum += basis[u * 8 + x] * block[y * 8 + x];
                }
                tmp[y * 8 + u] = sum;
            }
        }
        for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
                double sum = 0;
                for (int y = 0; y < 8; y++) {
                    sum += basis[v * 8 + y] * tmp[y * 8 + u];
                }
                block[v * 8 + u] = sum;
            }
        }
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
