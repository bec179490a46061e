package dev.yuanjian.container;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The JPEG thumbnail an Exif APP1 segment may carry in IFD1 (Exif 2.32, 4.5.8:
 * JPEGInterchangeFormat {@code 0x0201} and JPEGInterchangeFormatLength {@code 0x0202}), redrawn from
 * the image's new pixels. File browsers, cameras and some platforms show this thumbnail instead of
 * the image: left as it was, it would show the image without its visible label.
 *
 * <p>The new thumbnail has the old one's size; the image is fitted inside it with its aspect ratio
 * kept, on black, as cameras do. It goes where the old one was when it fits there or ends the
 * segment, otherwise after the TIFF data; the old bytes are zeroed either way, so the unlabelled
 * picture does not linger. When even a low-quality thumbnail would make the segment exceed 64 KB,
 * the thumbnail is removed (IFD1 unlinked). A segment whose IFD1 cannot be followed exactly
 * (offsets outside the segment, a thumbnail that is not JPEG) is left as it is.
 */
final class ExifThumbnail {
    private static final int MAX_SEGMENT = 2 + 65535;
    private static final float[] QUALITIES = {0.8f, 0.6f, 0.4f};
    /** Header of the APP1 segment: marker (2), length (2), "Exif\0\0" (6). */
    private static final int TIFF = 10;

    private ExifThumbnail() {
    }

    /**
     * {@code segment} (a whole APP1 segment, marker and length included) with its IFD1 JPEG thumbnail
     * redrawn from {@code pixels} (stored orientation, as the thumbnail is); the same array when it has
     * no thumbnail or one that cannot be followed exactly.
     */
    static byte[] redrawn(byte[] segment, BufferedImage pixels) {
        return redrawn(segment, () -> pixels);
    }

    /** As {@link #redrawn(byte[], BufferedImage)}, asking for the pixels only when there is a thumbnail to redraw. */
    static byte[] redrawn(byte[] segment, Supplier<BufferedImage> pixels) {
        Optional<Layout> found = Layout.of(segment);
        if (found.isEmpty()) {
            return segment;
        }
        Layout at = found.get();
        int[] size = jpegSize(segment, at.thumbStart(), at.thumbLength());
        if (size == null) {
            return segment;
        }
        BufferedImage small = fitted(pixels.get(), size[0], size[1]);
        for (float quality : QUALITIES) {
            byte[] thumb = encode(small, quality);
            byte[] placed = thumb == null ? null : place(segment, at, thumb);
            if (placed != null) {
                return placed;
            }
        }
        return unlinked(segment, at);
    }

    /** Where IFD1's thumbnail and the two entries that locate it are, in segment offsets. */
    private record Layout(boolean little, int nextIfdPointer, int offsetEntry, int lengthEntry, int thumbStart,
                          int thumbLength) {
        static Optional<Layout> of(byte[] s) {
            if (s.length < TIFF + 8 || !Bytes.startsWith(s, 4, Bytes.ascii("Exif\0\0"))) {
                return Optional.empty();
            }
            boolean little = s[TIFF] == 'I' && s[TIFF + 1] == 'I';
            if (!little && !(s[TIFF] == 'M' && s[TIFF + 1] == 'M')) {
                return Optional.empty();
            }
            long ifd0 = u32(s, TIFF + 4, little);
            long count0 = within(s, TIFF + ifd0, 2) ? u16(s, (int) (TIFF + ifd0), little) : -1;
            long nextPointer = TIFF + ifd0 + 2 + 12 * count0;
            if (count0 < 0 || !within(s, nextPointer, 4)) {
                return Optional.empty();
            }
            long ifd1 = u32(s, (int) nextPointer, little);
            if (ifd1 == 0 || !within(s, TIFF + ifd1, 2)) {
                return Optional.empty();
            }
            int entries = u16(s, (int) (TIFF + ifd1), little);
            int offsetEntry = -1;
            int lengthEntry = -1;
            for (int i = 0; i < entries; i++) {
                long e = TIFF + ifd1 + 2 + 12L * i;
                if (!within(s, e, 12)) {
                    return Optional.empty();
                }
                int tag = u16(s, (int) e, little);
                if (tag == 0x0103 && value(s, (int) e, little) != 6) {
                    return Optional.empty(); // an uncompressed (strip) thumbnail: not ours to rewrite
                }
                if (tag == 0x0201) {
                    offsetEntry = (int) e;
                } else if (tag == 0x0202) {
                    lengthEntry = (int) e;
                }
            }
            if (offsetEntry < 0 || lengthEntry < 0) {
                return Optional.empty();
            }
            long start = TIFF + value(s, offsetEntry, little);
            long length = value(s, lengthEntry, little);
            if (length <= 0 || !within(s, start, length)) {
                return Optional.empty();
            }
            return Optional.of(new Layout(little, (int) nextPointer, offsetEntry, lengthEntry, (int) start, (int) length));
        }
    }

    /** {@code thumb} put in place of the old thumbnail, or null when the segment would be too long. */
    private static byte[] place(byte[] s, Layout at, byte[] thumb) {
        int oldEnd = at.thumbStart() + at.thumbLength();
        byte[] out;
        int start;
        if (oldEnd == s.length) {
            start = at.thumbStart();
            out = Arrays.copyOf(s, start + thumb.length);
        } else if (thumb.length <= at.thumbLength()) {
            start = at.thumbStart();
            out = s.clone();
            Arrays.fill(out, start, oldEnd, (byte) 0);
        } else {
            start = s.length;
            out = Arrays.copyOf(s, s.length + thumb.length);
            Arrays.fill(out, at.thumbStart(), oldEnd, (byte) 0);
        }
        if (out.length > MAX_SEGMENT) {
            return null;
        }
        System.arraycopy(thumb, 0, out, start, thumb.length);
        setValue(out, at.offsetEntry(), start - TIFF, at.little());
        setValue(out, at.lengthEntry(), thumb.length, at.little());
        out[2] = (byte) ((out.length - 2) >> 8);
        out[3] = (byte) (out.length - 2);
        return out;
    }

    /** The segment without a thumbnail: IFD0 no longer points to IFD1, and the old picture is zeroed. */
    private static byte[] unlinked(byte[] s, Layout at) {
        byte[] out = s.clone();
        Arrays.fill(out, at.thumbStart(), at.thumbStart() + at.thumbLength(), (byte) 0);
        Arrays.fill(out, at.nextIfdPointer(), at.nextIfdPointer() + 4, (byte) 0);
        return out;
    }

    /**
     * {@code image} scaled to fit {@code w x h} with its aspect ratio, centred on black: each output
     * pixel is the mean of up to 8 x 8 samples of the area it covers (no Java2D: it would convert
     * the whole image first).
     */
    static BufferedImage fitted(BufferedImage image, int w, int h) {
        double scale = Math.min((double) w / image.getWidth(), (double) h / image.getHeight());
        int fw = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int fh = Math.max(1, (int) Math.round(image.getHeight() * scale));
        int ox = (w - fw) / 2;
        int oy = (h - fh) / 2;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double sx = (double) image.getWidth() / fw;
        double sy = (double) image.getHeight() / fh;
        int nx = (int) Math.min(8, Math.max(1, Math.ceil(sx)));
        int ny = (int) Math.min(8, Math.max(1, Math.ceil(sy)));
        for (int y = 0; y < fh; y++) {
            for (int x = 0; x < fw; x++) {
                long r = 0;
                long g = 0;
                long b = 0;
                for (int j = 0; j < ny; j++) {
                    int py = Math.min(image.getHeight() - 1, (int) ((y + (j + 0.5) / ny) * sy));
                    for (int i = 0; i < nx; i++) {
                        int px = Math.min(image.getWidth() - 1, (int) ((x + (i + 0.5) / nx) * sx));
                        int rgb = image.getRGB(px, py);
                        r += (rgb >> 16) & 0xff;
                        g += (rgb >> 8) & 0xff;
                        b += rgb & 0xff;
                    }
                }
                int n = nx * ny;
                out.setRGB(ox + x, oy + y, (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n));
            }
        }
        return out;
    }

    private static byte[] encode(BufferedImage image, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            return null;
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            return null;
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Width and height from the first frame header of the JPEG at {@code [from, from + length)}, or null. */
    private static int[] jpegSize(byte[] b, int from, int length) {
        int end = from + length;
        if (length < 4 || (b[from] & 0xff) != 0xFF || (b[from + 1] & 0xff) != 0xD8) {
            return null;
        }
        int at = from + 2;
        while (at + 4 <= end && (b[at] & 0xff) == 0xFF) {
            int m = b[at + 1] & 0xff;
            int len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                if (at + 9 > end) {
                    return null;
                }
                int h = ((b[at + 5] & 0xff) << 8) | (b[at + 6] & 0xff);
                int w = ((b[at + 7] & 0xff) << 8) | (b[at + 8] & 0xff);
                return w > 0 && h > 0 && w <= 1024 && h <= 1024 ? new int[] {w, h} : null;
            }
            if (m == 0xDA || len < 2) {
                return null;
            }
            at += 2 + len;
        }
        return null;
    }

    private static boolean within(byte[] s, long at, long length) {
        return at >= TIFF && length >= 0 && at + length <= s.length;
    }

    /** The value of a SHORT or LONG entry with count 1 at {@code entry}; -1 for any other kind. */
    private static long value(byte[] s, int entry, boolean little) {
        int type = u16(s, entry + 2, little);
        if (u32(s, entry + 4, little) != 1) {
            return -1;
        }
        return type == 3 ? u16(s, entry + 8, little) : type == 4 ? u32(s, entry + 8, little) : -1;
    }

    private static void setValue(byte[] s, int entry, long value, boolean little) {
        if (u16(s, entry + 2, little) == 3) {
            put(s, entry + 8, value, 2, little);
        } else {
            put(s, entry + 8, value, 4, little);
        }
    }

    private static int u16(byte[] s, int at, boolean little) {
        int a = s[at] & 0xff;
        int b = s[at + 1] & 0xff;
        return little ? b << 8 | a : a << 8 | b;
    }

    private static long u32(byte[] s, int at, boolean little) {
        long hi = u16(s, little ? at + 2 : at, little);
        long lo = u16(s, little ? at : at + 2, little);
        return hi << 16 | lo;
    }

    private static void put(byte[] s, int at, long value, int bytes, boolean little) {
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (little ? i : bytes - 1 - i);
            s[at + i] = (byte) (value >>> shift);
        }
    }
}
