package dev.yuanjian.label;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Byte helpers the codecs share: digests with one range cut out, searching, strict UTF-8. */
final class Bytes {
    private Bytes() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /**
     * SHA-256 of {@code bytes} without {@code [cutStart, cutEnd)}. The cut's position is not hashed:
     * the bytes around it are, and they fix where a value can sit.
     */
    static byte[] sha256Excluding(byte[] bytes, int cutStart, int cutEnd) {
        if (cutStart < 0 || cutEnd < cutStart || cutEnd > bytes.length) {
            throw new IllegalArgumentException("cut [" + cutStart + ", " + cutEnd + ") outside 0.." + bytes.length);
        }
        MessageDigest md = sha256();
        md.update(bytes, 0, cutStart);
        md.update(bytes, cutEnd, bytes.length - cutEnd);
        return md.digest();
    }

    static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        if (needle.length == 0) {
            return from;
        }
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = Math.max(from, 0); i <= last; i++) {
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
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int need;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= n) {
                return i;
            }
            int cp = c & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /**
     * Throws unless {@code bytes} is UTF-8; the message names the byte offset and line so the user
     * can find it, and says how to convert a file saved in a legacy Chinese code page.
     */
    static void requireUtf8(byte[] bytes, String where) throws LabelFormatException {
        int bad = firstInvalidUtf8(bytes);
        if (bad >= 0) {
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new LabelFormatException(where + " is not UTF-8: byte 0x"
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
