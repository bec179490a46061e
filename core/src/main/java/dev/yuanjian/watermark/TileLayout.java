package dev.yuanjian.watermark;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a key puts things in the watermark tile: a square of {@value #TILE} x {@value #TILE}
 * working pixels made of 2 x 2 pixel cells, a quarter of them carrying a keyed synchronisation
 * pattern and the rest the coded payload, each cell with a keyed sign (a chip). Everything is
 * derived from the key with HMAC-SHA256 in counter mode, so the layout is the same on every JVM and
 * secret to whoever lacks the key.
 *
 * <p>The payload is {@value #PAYLOAD_BITS} bits followed by a {@value #CHECK_BITS}-bit keyed check
 * (HMAC-SHA256 of the payload, truncated), coded with {@link ConvolutionalCode}; each coded bit
 * owns two or three cells spread over the tile.
 */
final class TileLayout {
    static final int TILE = 64;
    static final int CELL = 2;
    static final int SIDE = TILE / CELL;
    static final int CELLS = SIDE * SIDE;
    static final int SYNC_CELLS = CELLS / 4;
    static final int PAYLOAD_BITS = 64;
    static final int CHECK_BITS = 32;
    static final int INFO_BITS = PAYLOAD_BITS + CHECK_BITS;
    static final int CODED_BITS = ConvolutionalCode.codedLength(INFO_BITS);

    /** Per tile pixel (row-major, TILE x TILE): the sync chip (+1 or -1), or 0 outside sync cells. */
    final double[] syncTemplate = new double[TILE * TILE];
    /** Per cell: the coded bit it carries (0..CODED_BITS-1), or -1 for a sync cell. */
    final int[] cellBit = new int[CELLS];
    /** Per cell: its chip, +1 or -1. */
    final int[] cellChip = new int[CELLS];

    private final byte[] checkKey;

    TileLayout(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a watermark key has at least 16 bytes");
        }
        KeyedStream stream = new KeyedStream(key, "yuanjian watermark v1 layout");
        int[] order = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            order[i] = i;
        }
        for (int i = CELLS - 1; i > 0; i--) {
            int j = stream.below(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int k = 0; k < CELLS; k++) {
            int cell = order[k];
            cellBit[cell] = k < SYNC_CELLS ? -1 : (k - SYNC_CELLS) % CODED_BITS;
            cellChip[cell] = stream.below(2) == 0 ? -1 : 1;
        }
        for (int cell = 0; cell < CELLS; cell++) {
            if (cellBit[cell] < 0) {
                int cx = (cell % SIDE) * CELL;
                int cy = (cell / SIDE) * CELL;
                for (int dy = 0; dy < CELL; dy++) {
                    for (int dx = 0; dx < CELL; dx++) {
                        syncTemplate[(cy + dy) * TILE + cx + dx] = cellChip[cell];
                    }
                }
            }
        }
        checkKey = new KeyedStream(key, "yuanjian watermark v1 check").bytes(32);
    }

    /** The tile's pixel values (+1, -1) for {@code payload}: sync cells and coded payload cells. */
    double[] tile(Payload payload) {
        byte[] coded = ConvolutionalCode.encode(info(payload));
        double[] tile = new double[TILE * TILE];
        for (int cell = 0; cell < CELLS; cell++) {
            int bit = cellBit[cell];
            double value = bit < 0 ? cellChip[cell] : cellChip[cell] * (coded[bit] == 1 ? 1 : -1);
            int cx = (cell % SIDE) * CELL;
            int cy = (cell / SIDE) * CELL;
            for (int dy = 0; dy < CELL; dy++) {
                for (int dx = 0; dx < CELL; dx++) {
                    tile[(cy + dy) * TILE + cx + dx] = value;
                }
            }
        }
        return tile;
    }

    /** The information bits: the payload, most significant bit first, then its keyed check. */
    byte[] info(Payload payload) {
        byte[] info = new byte[INFO_BITS];
        for (int i = 0; i < PAYLOAD_BITS; i++) {
            info[i] = (byte) ((payload.bits() >>> (63 - i)) & 1);
        }
        long check = check(payload.bits());
        for (int i = 0; i < CHECK_BITS; i++) {
            info[PAYLOAD_BITS + i] = (byte) ((check >>> (CHECK_BITS - 1 - i)) & 1);
        }
        return info;
    }

    /** The payload in {@code info} when its check holds; null when it does not. */
    Payload payloadIn(byte[] info) {
        long bits = 0;
        for (int i = 0; i < PAYLOAD_BITS; i++) {
            bits = (bits << 1) | info[i];
        }
        long check = 0;
        for (int i = 0; i < CHECK_BITS; i++) {
            check = (check << 1) | info[PAYLOAD_BITS + i];
        }
        return check == check(bits) ? new Payload(bits) : null;
    }

    private long check(long bits) {
        byte[] mac = KeyedStream.hmac(checkKey, ByteBuffer.allocate(8).putLong(bits).array());
        return ByteBuffer.wrap(mac).getInt() & 0xffffffffL;
    }

    /** HMAC-SHA256(key, label || counter) blocks, read as a stream of bytes. */
    static final class KeyedStream {
        private final byte[] key;
        private final byte[] label;
        private int counter;
        private byte[] block = new byte[0];
        private int at;

        KeyedStream(byte[] key, String label) {
            this.key = key.clone();
            this.label = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        byte[] bytes(int n) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                if (at == block.length) {
                    byte[] input = Arrays.copyOf(label, label.length + 4);
                    ByteBuffer.wrap(input, label.length, 4).putInt(counter++);
                    block = hmac(key, input);
                    at = 0;
                }
                out[i] = block[at++];
            }
            return out;
        }

        /** A uniform integer in [0, bound), by rejection so that no value is favoured. */
        int below(int bound) {
            long limit = (1L << 32) - ((1L << 32) % bound);
            while (true) {
                long value = ByteBuffer.wrap(bytes(4)).getInt() & 0xffffffffL;
                if (value < limit) {
                    return (int) (value % bound);
                }
            }
        }

        static byte[] hmac(byte[] key, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }
    }

    /** A short, non-secret fingerprint of the key, to tell keys apart in reports (first 8 hex digits of SHA-256). */
    static String fingerprint(byte[] key) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
