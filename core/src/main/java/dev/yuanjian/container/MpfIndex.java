package dev.yuanjian.container;

import java.util.List;

/**
 * The Multi-Picture Format index (CIPA DC-007, APP2 {@code MPF\0}) of a JPEG whose first image
 * changes length: later images (a camera's large preview, the other half of a stereo pair) follow
 * the first image's EOI, and the index gives each one's offset from the index's own TIFF header
 * and each image's size. When a rewrite changes the first image's length or moves the index, the
 * later images stay byte for byte after the new EOI and the index is corrected: the first entry's
 * size, every later entry's offset. A damaged index is left as it was (readers report it).
 */
final class MpfIndex {
    private static final byte[] HEADER = {'M', 'P', 'F', 0};
    private static final int MP_ENTRY = 0xB002;
    private static final int ENTRY = 16;

    private MpfIndex() {
    }

    /** Where the index's TIFF header is in {@code b}, or -1 without an MPF segment. */
    static int tiffHeader(byte[] b, List<JpegContainer.Segment> segments) {
        for (JpegContainer.Segment s : segments) {
            if (s.marker() == 0xE2 && Bytes.startsWith(b, s.data(), HEADER)) {
                return s.data() + HEADER.length;
            }
        }
        return -1;
    }

    /**
     * Corrects, in {@code out}, the index at {@code tiffAt} (-1: none) for a first image that was
     * {@code oldLength} bytes with its index at {@code oldTiffAt} and is now {@code newLength}
     * bytes (SOI to EOI), the later images following it unchanged.
     */
    static void relocate(byte[] out, int tiffAt, int oldTiffAt, int oldLength, int newLength, int segmentEnd) {
        if (tiffAt < 0 || oldTiffAt < 0 || tiffAt + 8 > segmentEnd) {
            return;
        }
        boolean little = out[tiffAt] == 'I';
        if (!little && out[tiffAt] != 'M') {
            return;
        }
        long ifd = u32(out, tiffAt + 4, little);
        if (ifd < 8 || tiffAt + ifd + 2 > segmentEnd) {
            return;
        }
        int at = (int) (tiffAt + ifd);
        int count = u16(out, at, little);
        for (int i = 0; i < count; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > segmentEnd) {
                return;
            }
            if (u16(out, e, little) != MP_ENTRY) {
                continue;
            }
            long n = u32(out, e + 4, little);
            long values = u32(out, e + 8, little);
            if (n % ENTRY != 0 || tiffAt + values + n > segmentEnd) {
                return;
            }
            long oldTrailer = oldLength - (long) oldTiffAt;
            long shift = (long) newLength - oldLength - (tiffAt - (long) oldTiffAt);
            for (int k = 0; k < n / ENTRY; k++) {
                int entry = (int) (tiffAt + values + (long) k * ENTRY);
                long offset = u32(out, entry + 8, little);
                if (offset == 0) {
                    // The first image (offset 0 by definition): its size is SOI to EOI.
                    putU32(out, entry + 4, newLength, little);
                } else if (offset >= oldTrailer) {
                    putU32(out, entry + 8, offset + shift, little);
                }
            }
            return;
        }
    }

    private static int u16(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }

    private static void putU32(byte[] b, int at, long v, boolean little) {
        for (int i = 0; i < 4; i++) {
            b[little ? at + i : at + 3 - i] = (byte) (v >>> (8 * i));
        }
    }
}
