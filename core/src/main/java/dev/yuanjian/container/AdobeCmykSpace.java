package dev.yuanjian.container;

import java.awt.color.ColorSpace;

/**
 * The colour space of a four-component JPEG's samples as they are coded (what
 * {@code ImageReader.readRaster} returns): CMYK, or YCCK when the Adobe APP14 segment says so
 * (transform 2), inverted (255 means no ink) as Photoshop stores them and as the JDK's decoder
 * reads every four-component JPEG. Pixels of this space are never converted as a whole: the samples
 * are re-encoded as they were read, with the original's APP14 segment, so no pixel outside what a
 * painter draws changes colour. Only the pixels a painter draws on pass through {@link #toRGB} and
 * {@link #fromRGB}: naive device CMYK (no ICC profile), which is enough to draw a dark box with
 * white text.
 */
final class AdobeCmykSpace extends ColorSpace {
    private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);
    private final boolean ycck;

    /** @param ycck the samples are Y, Cb, Cr, K (APP14 transform 2) rather than C, M, Y, K */
    AdobeCmykSpace(boolean ycck) {
        super(ColorSpace.TYPE_CMYK, 4);
        this.ycck = ycck;
    }

    @Override
    public float[] toRGB(float[] samples) {
        float[] stored = samples.clone();
        if (ycck) {
            float y = samples[0];
            float cb = samples[1] - 0.5f;
            float cr = samples[2] - 0.5f;
            // libjpeg's YCCK: the YCbCr of (1 - C, 1 - M, 1 - Y); K as is.
            stored[0] = 1 - clamp(y + 1.402f * cr);
            stored[1] = 1 - clamp(y - 0.344136f * cb - 0.714136f * cr);
            stored[2] = 1 - clamp(y + 1.772f * cb);
        }
        float[] ink = new float[4];
        for (int i = 0; i < 4; i++) {
            ink[i] = 1 - stored[i];
        }
        float k = 1 - ink[3];
        return new float[] {clamp((1 - ink[0]) * k), clamp((1 - ink[1]) * k), clamp((1 - ink[2]) * k)};
    }

    @Override
    public float[] fromRGB(float[] rgb) {
        float max = Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
        float[] ink = new float[4];
        ink[3] = 1 - max;
        for (int i = 0; i < 3; i++) {
            ink[i] = max <= 0 ? 0 : clamp((max - rgb[i]) / max);
        }
        float[] stored = new float[4];
        for (int i = 0; i < 4; i++) {
            stored[i] = 1 - ink[i];
        }
        if (!ycck) {
            return stored;
        }
        float r = 1 - stored[0];
        float g = 1 - stored[1];
        float b = 1 - stored[2];
        return new float[] {
            clamp(0.299f * r + 0.587f * g + 0.114f * b),
            clamp(-0.168736f * r - 0.331264f * g + 0.5f * b + 0.5f),
            clamp(0.5f * r - 0.418688f * g - 0.081312f * b + 0.5f),
            stored[3]};
    }

    @Override
    public float[] toCIEXYZ(float[] samples) {
        return SRGB.toCIEXYZ(toRGB(samples));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
        return fromRGB(SRGB.fromCIEXYZ(xyz));
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
