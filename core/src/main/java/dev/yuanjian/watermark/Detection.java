package dev.yuanjian.watermark;

/** What {@link ImageWatermark#detect} found. */
public sealed interface Detection {

    /**
     * The watermark, its payload's check holding.
     *
     * @param syncScore    how far the synchronisation pattern's peak stands above chance (a z-score;
     *                     above about 5 is clear)
     * @param scale        how much larger the tile appears than when it was embedded (1.0 = same
     *                     framing; up to 1.25 after cropping 10% per side)
     * @param bitAgreement the share of coded bits read as they were written, 0.5 to 1
     */
    record Found(Payload payload, double syncScore, double scale, double bitAgreement) implements Detection {
    }

    /** No watermark of this key; {@code bestSyncScore} is the strongest sync peak seen. */
    record NotFound(double bestSyncScore) implements Detection {
    }

    /** The image is too small to tell ({@code minSide} pixels needed on its shorter side). */
    record TooSmall(int width, int height, int minSide) implements Detection {
    }
}
