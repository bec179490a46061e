package dev.yuanjian.bench.watermark;

import java.awt.image.BufferedImage;

/**
 * How close a marked image is to its original. PSNR over all R, G and B samples (peak 255, in dB);
 * SSIM of the luma (Rec. 601) with the 11 x 11 Gaussian window of sigma 1.5 and the constants of
 * Wang et al. (2004), averaged over the positions where the window fits whole.
 */
final class Fidelity {
    private static final int RADIUS = 5;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);

    private Fidelity() {
    }

    /** Peak signal-to-noise ratio in dB; infinite for equal images. Both images must have the same size. */
    static double psnr(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
        int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
        double sum = 0;
        for (int k = 0; k < pa.length; k++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = ((pa[k] >> shift) & 0xff) - ((pb[k] >> shift) & 0xff);
                sum += d * d;
            }
        }
        double mse = sum / (3.0 * pa.length);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Mean structural similarity of the two images' luma, 1 for equal images. */
    static double ssim(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        double[] x = luma(a);
        double[] y = luma(b);
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            xx[k] = x[k] * x[k];
            yy[k] = y[k] * y[k];
            xy[k] = x[k] * y[k];
        }
        double[] kernel = new double[2 * RADIUS + 1];
        double norm = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            kernel[i + RADIUS] = Math.exp(-i * i / (2 * SIGMA * SIGMA));
            norm += kernel[i + RADIUS];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= norm;
        }
        double[] mx = blur(x, w, h, kernel);
        double[] my = blur(y, w, h, kernel);
        double[] sxx = blur(xx, w, h, kernel);
        double[] syy = blur(yy, w, h, kernel);
        double[] sxy = blur(xy, w, h, kernel);
        double sum = 0;
        long n = 0;
        for (int j = RADIUS; j < h - RADIUS; j++) {
            for (int i = RADIUS; i < w - RADIUS; i++) {
                int k = j * w + i;
                double vx = sxx[k] - mx[k] * mx[k];
                double vy = syy[k] - my[k] * my[k];
                double cov = sxy[k] - mx[k] * my[k];
                sum += (2 * mx[k] * my[k] + C1) * (2 * cov + C2)
                        / ((mx[k] * mx[k] + my[k] * my[k] + C1) * (vx + vy + C2));
                n++;
            }
        }
        return sum / n;
    }

    private static double[] luma(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        double[] y = new double[rgb.length];
        for (int k = 0; k < rgb.length; k++) {
            y[k] = 0.299 * ((rgb[k] >> 16) & 0xff) + 0.587 * ((rgb[k] >> 8) & 0xff) + 0.114 * (rgb[k] & 0xff);
        }
        return y;
    }

    /** Separable filter; positions within RADIUS of an edge are left unfiltered (they are not averaged). */
    private static double[] blur(double[] in, int w, int h, double[] kernel) {
        double[] tmp = new double[in.length];
        double[] out = new double[in.length];
        for (int j = 0; j < h; j++) {
            for (int i = RADIUS; i < w - RADIUS; i++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) {
                    s += kernel[k + RADIUS] * in[j * w + i + k];
                }
                tmp[j * w + i] = s;
            }
        }
        for (int j = RADIUS; j < h - RADIUS; j++) {
            for (int i = RADIUS; i < w - RADIUS; i++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) {
                    s += kernel[k + RADIUS] * tmp[(j + k) * w + i];
                }
                out[j * w + i] = s;
            }
        }
        return out;
    }
}
