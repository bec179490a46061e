package dev.yuanjian.container;

import java.nio.charset.StandardCharsets;

/** Byte helpers the containers share: searching, splicing, strict UTF-8. Digests are not theirs (see {@code mark.Digests}). */
final class Bytes {
    private Bytes() {
    }

    static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        int m = needle.length;
        if (m == 0) {
            return from;
        }
        from = Math.max(from, 0);
        if (m < 4 || to - from < 1024) {
            return naiveIndexOf(hay, needle, from, to);
        }
        // Horspool: a CJK needle's lead bytes are common in CJK text, so a first-byte scan keeps
        // stopping; skipping by the window's last byte does not.
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, m);
        for (int k = 0; k < m - 1; k++) {
            skip[needle[k] & 0xff] = m - 1 - k;
        }
        int i = from;
        while (i <= to - m) {
            int j = m - 1;
            while (hay[i + j] == needle[j]) {
                if (j == 0) {
                    return i;
                }
                j--;
            }
            i += skip[hay[i + m - 1] & 0xff];
        }
        return -1;
    }

    private static int naiveIndexOf(byte[] hay, byte[] needle, int from, int to) {
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (hay[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** True when any of {@code needles}, in UTF-8, occurs in {@code hay[from..]}. */
    static boolean containsAny(byte[] hay, int from, String... needles) {
        for (String needle : needles) {
            if (indexOf(hay, needle.getBytes(StandardCharsets.UTF_8), from, hay.length) >= 0) {
                return true;
            }
        }
        return false;
    }

    static int lastIndexOf(byte[] hay, byte[] needle, int from, int to) {
        outer:
        for (int i = to - needle.length; i >= from; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    /** 3 when {@code b} starts with the UTF-8 byte order mark (EF BB BF), else 0: where its text begins. */
    static int utf8BomLength(byte[] b) {
        return startsWith(b, 0, UTF8_BOM) ? UTF8_BOM.length : 0;
    }

    static boolean startsWith(byte[] hay, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > hay.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (hay[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code bytes} with {@code [from, to)} replaced by {@code insert} ({@code from == to} inserts). */
    static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
        byte[] out = new byte[bytes.length - (to - from) + insert.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The offset of the first byte that breaks UTF-8 (bad lead, bad continuation, overlong form,
     * surrogate, above U+10FFFF, or truncated sequence), or -1 when all of {@code bytes} is UTF-8.
     */
    static int firstInvalidUtf8(byte[] b) {
        // One branch per sequence length, most frequent first (ASCII, then the 3-byte CJK range):
        // this runs over whole files, and a generic loop costs ~3x more on Chinese text.
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
            } else if ((c & 0xf0) == 0xe0) {
                if (i + 2 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c1 & 0xc0) != 0x80 || (b[i + 2] & 0xc0) != 0x80
                        || ((c & 0x0f) == 0 && c1 < 0xa0)       // overlong
                        || ((c & 0x0f) == 0x0d && c1 >= 0xa0)) { // UTF-16 surrogate
                    return i;
                }
                i += 3;
            } else if ((c & 0xe0) == 0xc0) {
                if ((c & 0xff) < 0xc2 || i + 1 >= n || (b[i + 1] & 0xc0) != 0x80) {
                    return i;
                }
                i += 2;
            } else if ((c & 0xf8) == 0xf0) {
                int lead = c & 0xff;
                if (lead > 0xf4 || i + 3 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c1 & 0xc0) != 0x80 || (b[i + 2] & 0xc0) != 0x80 || (b[i + 3] & 0xc0) != 0x80
                        || (lead == 0xf0 && c1 < 0x90)          // overlong
                        || (lead == 0xf4 && c1 >= 0x90)) {      // above U+10FFFF
                    return i;
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    /**
     * Throws unless {@code bytes} is UTF-8; the message names the byte offset and line so the user
     * can find it, and says how to convert a file saved in a legacy Chinese code page.
     */
    static void requireUtf8(byte[] bytes, String where) throws FormatException {
        int bad = firstInvalidUtf8(bytes);
        if (bad >= 0) {
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new FormatException(where + " is not UTF-8: byte 0x"
                    + String.format("%02X", bytes[bad] & 0xff) + " at offset " + bad + " (line " + line
                    + ") cannot start or continue a character; convert the file to UTF-8 first "
                    + "(e.g. iconv -f GB18030 -t UTF-8)");
        }
    }

    /** The first {@code maxChars} characters or so of UTF-8 text, for language detection. */
    static String utf8Sample(byte[] bytes, int from, int maxChars) {
        int end = Math.min(bytes.length, from + maxChars * 3);
        // Step back to a character boundary so the sample never ends in half a character.
        while (end < bytes.length && end > from && (bytes[end] & 0xc0) == 0x80) {
            end--;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** The file's line ending, by its first line break: CRLF or LF (LF when there is none). */
    static byte[] lineEnding(byte[] bytes, int from) {
        int lf = indexOf(bytes, new byte[] {'\n'}, from, bytes.length);
        if (lf > from && bytes[lf - 1] == '\r') {
            return new byte[] {'\r', '\n'};
        }
        return new byte[] {'\n'};
    }
}
