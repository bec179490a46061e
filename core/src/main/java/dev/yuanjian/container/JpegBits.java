package dev.yuanjian.container;

import java.util.Arrays;

/** Entropy-coded JPEG data as bits: 0xFF bytes stuffed with 0x00, markers ending a segment (T.81 B.1.1.5, F.1.2.3). */
final class JpegBits {
    private JpegBits() {
    }

    /**
     * Reads bits most significant first from {@code b} at {@code pos}, up to the next marker. Past
     * the marker (or the file's end) it supplies zeros for look-ahead only: consuming one of them
     * means the data is cut short, which is {@link JpegCoefficients.Unhandled}.
     */
    static final class Reader {
        private final byte[] b;
        private int pos;
        private long acc;
        private int bits;
        private int fake;
        /** Offset of the 0xFF of the marker that stopped reading, or -1. */
        private int markerAt = -1;

        Reader(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        void fill() {
            while (bits <= 56) {
                int v = 0;
                if (markerAt < 0 && pos < b.length) {
                    v = b[pos] & 0xff;
                    if (v == 0xFF) {
                        if (pos + 1 < b.length && b[pos + 1] == 0) {
                            pos += 2;
                        } else {
                            markerAt = pos;
                            v = 0;
                            fake += 8;
                        }
                    } else {
                        pos++;
                    }
                } else {
                    fake += 8;
                }
                acc |= (long) v << (56 - bits);
                bits += 8;
            }
        }

        /** The next {@code n} (1..16) bits without consuming them; {@link #fill} first. */
        int peek(int n) {
            return (int) (acc >>> (64 - n));
        }

        void skip(int n) throws JpegCoefficients.Unhandled {
            acc <<= n;
            bits -= n;
            if (bits < fake) {
                throw new JpegCoefficients.Unhandled("the image data ends before its last block (truncated or damaged)");
            }
        }

        /** The next {@code n} (0..16) bits as an unsigned number. */
        int receive(int n) throws JpegCoefficients.Unhandled {
            if (n == 0) {
                return 0;
            }
            if (bits < 32) {
                fill();
            }
            int v = peek(n);
            skip(n);
            return v;
        }

        /**
         * Drops the bits left in the current byte and reads the marker that must follow: RSTn
         * {@code expected}. Bytes before it that no block used are skipped, as decoders do.
         */
        void restart(int expected) throws JpegCoefficients.Unhandled {
            int at = nextMarker();
            if (at + 1 >= b.length || (b[at + 1] & 0xff) != 0xD0 + expected) {
                throw new JpegCoefficients.Unhandled("restart marker RST" + expected + " missing at byte " + at);
            }
            pos = at + 2;
            acc = 0;
            bits = 0;
            fake = 0;
            markerAt = -1;
        }

        /** Where the marker after the bits read so far starts (its 0xFF; fill bytes 0xFF skipped). */
        int nextMarker() {
            int at = markerAt >= 0 ? markerAt : pos;
            while (at + 1 < b.length) {
                if ((b[at] & 0xff) == 0xFF && b[at + 1] != 0 && (b[at + 1] & 0xff) != 0xFF) {
                    return at;
                }
                at++;
            }
            return b.length;
        }
    }

    /** Writes bits most significant first, stuffing a 0x00 after each 0xFF. */
    static final class Writer {
        private byte[] out;
        private int n;
        private long acc;
        private int bits;

        Writer(int capacity) {
            out = new byte[Math.max(64, capacity)];
        }

        void put(int code, int len) {
            acc = (acc << len) | (code & ((1L << len) - 1));
            bits += len;
            while (bits >= 8) {
                bits -= 8;
                int v = (int) (acc >>> bits) & 0xff;
                ensure(2);
                out[n++] = (byte) v;
                if (v == 0xFF) {
                    out[n++] = 0;
                }
            }
        }

        /** Pads the last byte with 1 bits (T.81 F.1.2.3). */
        void align() {
            if (bits > 0) {
                put(0x7F, 8 - bits);
            }
        }

        /** A marker or segment, unstuffed; call {@link #align} first. */
        void raw(byte[] bytes, int from, int len) {
            ensure(len);
            System.arraycopy(bytes, from, out, n, len);
            n += len;
        }

        void raw(int... bytes) {
            ensure(bytes.length);
            for (int v : bytes) {
                out[n++] = (byte) v;
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(out, n);
        }

        private void ensure(int more) {
            if (n + more > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + more));
            }
        }
    }
}
