package dev.yuanjian.container;

/**
 * The Exif Orientation tag (0x0112 in IFD0, TIFF/EP): how a viewer turns the stored pixels to show
 * them, 1 (as stored) to 8. Read from a TIFF structure (a JPEG's {@code Exif\0\0} APP1 after the
 * header, a PNG's {@code eXIf} chunk) without trusting any offset: a damaged or missing tag, or a
 * value outside 1..8, reads as 1, which is what viewers do.
 */
final class ExifOrientation {
    private static final int TAG = 0x0112;
    private static final int SHORT = 3;

    private ExifOrientation() {
    }

    /** The orientation in {@code b[from, to)}, a TIFF header and its IFD0; 1 when absent or unreadable. */
    static int of(byte[] b, int from, int to) {
        if (from < 0 || to > b.length || to - from < 8) {
            return 1;
        }
        boolean little;
        if (b[from] == 'I' && b[from + 1] == 'I') {
            little = true;
        } else if (b[from] == 'M' && b[from + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = u32(b, from + 4, little);
        if (ifd < 8 || from + ifd + 2 > to) {
            return 1;
        }
        int at = (int) (from + ifd);
        int entries = u16(b, at, little);
        for (int i = 0; i < entries; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > to) {
                return 1;
            }
            if (u16(b, e, little) == TAG) {
                int value = u16(b, e + 8, little);
                boolean valid = u16(b, e + 2, little) == SHORT && u32(b, e + 4, little) == 1 && value >= 1 && value <= 8;
                return valid ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
