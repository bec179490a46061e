package dev.yuanjian.watermark;

/**
 * The Exif orientation (TIFF 6.0 tag 274, values 1 to 8) as a map between the stored grid and the
 * grid a viewer shows: 1 as stored, 2 mirrored, 3 turned 180 degrees, 4 flipped, 5 transposed, 6
 * turned 90 degrees clockwise, 7 transversed, 8 turned 90 degrees anticlockwise. Out-of-range
 * values are shown as stored, as viewers do.
 */
final class Orientation {
    private final int value;
    private final int w;
    private final int h;

    Orientation(int value, int storedWidth, int storedHeight) {
        this.value = value >= 1 && value <= 8 ? value : 1;
        this.w = storedWidth;
        this.h = storedHeight;
    }

    int shownWidth() {
        return value >= 5 ? h : w;
    }

    int shownHeight() {
        return value >= 5 ? w : h;
    }

    /** Where stored pixel ({@code x}, {@code y}) is shown, as an index into the shown grid (row-major). */
    int shownIndex(int x, int y) {
        int sx;
        int sy;
        switch (value) {
            case 2 -> { sx = w - 1 - x; sy = y; }
            case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
            case 4 -> { sx = x; sy = h - 1 - y; }
            case 5 -> { sx = y; sy = x; }
            case 6 -> { sx = h - 1 - y; sy = x; }
            case 7 -> { sx = h - 1 - y; sy = w - 1 - x; }
            case 8 -> { sx = y; sy = w - 1 - x; }
            default -> { sx = x; sy = y; }
        }
        return sy * shownWidth() + sx;
    }

    /** {@code stored} (row-major, stored grid) rearranged as shown. */
    float[] toShown(float[] stored) {
        if (value == 1) {
            return stored;
        }
        float[] shown = new float[stored.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                shown[shownIndex(x, y)] = stored[y * w + x];
            }
        }
        return shown;
    }
}
