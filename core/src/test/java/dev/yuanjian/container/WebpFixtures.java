package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * WebP files made byte by byte: a lossless (VP8L) image of one colour that any decoder reads, a
 * lossy (VP8) chunk whose frame header is exact but whose body is not a picture (enough for
 * container tests), and RIFF assembly of any chunks.
 */
public final class WebpFixtures {
    private WebpFixtures() {
    }

    /**
     * A simple lossless WebP of {@code width x height} pixels, every one {@code argb}: a VP8L
     * bitstream with no transform, no colour cache and five prefix codes of one symbol each (a
     * one-symbol code takes zero bits, so the pixels need no data at all).
     */
    public static byte[] lossless(int width, int height, int argb, boolean alphaHint) {
        return riff(chunk("VP8L", vp8l(width, height, argb, alphaHint)));
    }

    public static byte[] lossless(int width, int height) {
        return lossless(width, height, 0xFF3366CC, false);
    }

    public static byte[] vp8l(int width, int height, int argb, boolean alphaHint) {
        Bits bits = new Bits();
        bits.put(0x2F, 8);
        bits.put(width - 1, 14);
        bits.put(height - 1, 14);
        bits.put(alphaHint ? 1 : 0, 1);
        bits.put(0, 3); // version
        bits.put(0, 1); // no transform
        bits.put(0, 1); // no colour cache
        bits.put(0, 1); // no meta prefix codes
        int[] symbols = {(argb >>> 8) & 0xFF, (argb >>> 16) & 0xFF, argb & 0xFF, argb >>> 24, 0}; // G, R, B, A, distance
        for (int symbol : symbols) {
            bits.put(1, 1); // simple code
            bits.put(0, 1); // one symbol
            bits.put(1, 1); // of 8 bits
            bits.put(symbol, 8);
        }
        return bits.bytes();
    }

    /**
     * A VP8 key frame's first ten bytes (frame tag, start code, sizes with {@code scale} in their top
     * two bits) and {@code body} filler bytes: the container reads the header only.
     */
    public static byte[] vp8Header(int width, int height, int scale, int body) {
        byte[] b = new byte[10 + body];
        int firstPartition = Math.max(0, body - 1);
        int tag = (firstPartition << 5) | (1 << 4); // key frame (bit 0 clear), profile 0, shown
        b[0] = (byte) tag;
        b[1] = (byte) (tag >>> 8);
        b[2] = (byte) (tag >>> 16);
        b[3] = (byte) 0x9D;
        b[4] = 0x01;
        b[5] = 0x2A;
        int w = width | scale << 14;
        int h = height | scale << 14;
        b[6] = (byte) w;
        b[7] = (byte) (w >>> 8);
        b[8] = (byte) h;
        b[9] = (byte) (h >>> 8);
        return b;
    }

    /** {@code RIFF}, the size, {@code WEBP}, then {@code chunks}. */
    public static byte[] riff(byte[]... chunks) {
        byte[] body = Bytes.concat(chunks);
        byte[] out = Bytes.concat("RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.ISO_8859_1), body);
        return WebpContainer.withRiffSize(out);
    }

    /** A chunk with its pad byte. */
    public static byte[] chunk(String fourcc, byte[] data) {
        return WebpContainer.chunk(fourcc, data);
    }

    /** A 10-byte VP8X payload. */
    public static byte[] vp8x(int flags, int width, int height) {
        byte[] d = new byte[10];
        d[0] = (byte) flags;
        d[4] = (byte) (width - 1);
        d[5] = (byte) ((width - 1) >>> 8);
        d[6] = (byte) ((width - 1) >>> 16);
        d[7] = (byte) (height - 1);
        d[8] = (byte) ((height - 1) >>> 8);
        d[9] = (byte) ((height - 1) >>> 16);
        return d;
    }

    /** Least significant bit first, as VP8L packs its bits. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int n;

        void put(int value, int count) {
            acc |= ((long) value & ((1L << count) - 1)) << n;
            n += count;
            while (n >= 8) {
                out.write((int) acc & 0xFF);
                acc >>>= 8;
                n -= 8;
            }
        }

        byte[] bytes() {
            if (n > 0) {
                out.write((int) acc & 0xFF);
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
