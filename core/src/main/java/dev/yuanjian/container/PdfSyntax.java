package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;

/**
 * Just enough PDF syntax (ISO 32000-1 section 7.2-7.3) to find byte ranges PDFBox does not report,
 * the objects inside an indirect dictionary, and to write a small dictionary deterministically.
 */
final class PdfSyntax {
    private PdfSyntax() {
    }

    /** One {@code /Key value} pair of a dictionary; the value spans {@code [valueStart, valueEnd)}. */
    record Entry(String key, int valueStart, int valueEnd) {
    }

    static boolean isWhite(int c) {
        return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
    }

    static boolean isDelimiter(int c) {
        return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}'
                || c == '/' || c == '%';
    }

    static int skipWhite(byte[] b, int i) {
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (isWhite(c)) {
                i++;
            } else if (c == '%') {
                while (i < b.length && b[i] != '\n' && b[i] != '\r') {
                    i++;
                }
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * The entries of the dictionary of indirect object {@code num gen} whose header starts at
     * {@code offset}, or {@code null} when the bytes there are not that object's dictionary.
     */
    static List<Entry> objectDictionary(byte[] b, int offset, long num, int gen) {
        try {
            int i = skipWhite(b, offset);
            int[] n1 = new int[1];
            i = integer(b, i, n1);
            i = skipWhite(b, i);
            int[] n2 = new int[1];
            i = integer(b, i, n2);
            i = skipWhite(b, i);
            if (n1[0] != num || n2[0] != gen || !Bytes.startsWith(b, i, Bytes.ascii("obj"))) {
                return null;
            }
            i = skipWhite(b, i + 3);
            if (!Bytes.startsWith(b, i, Bytes.ascii("<<"))) {
                return null;
            }
            return dictionaryAt(b, i);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The entries of the dictionary whose {@code <<} is at {@code i}; unchecked exceptions on bad syntax. */
    static List<Entry> dictionaryAt(byte[] b, int i) {
        List<Entry> entries = new ArrayList<>();
        i += 2;
        while (true) {
            i = skipWhite(b, i);
            if (b[i] == '>' && b[i + 1] == '>') {
                return entries;
            }
            if (b[i] != '/') {
                throw new IllegalArgumentException("dictionary key expected at " + i);
            }
            int keyEnd = objectEnd(b, i);
            String key = decodeName(b, i + 1, keyEnd);
            int v = skipWhite(b, keyEnd);
            int vEnd = objectEnd(b, v);
            entries.add(new Entry(key, v, vEnd));
            i = vEnd;
        }
    }

    /** The end of the object starting at {@code i}, a reference {@code n g R} counting as one. */
    static int objectEnd(byte[] b, int i) {
        int c = b[i] & 0xff;
        switch (c) {
            case '(' -> {
                int depth = 0;
                for (int k = i; ; k++) {
                    int x = b[k];
                    if (x == '\\') {
                        k++;
                    } else if (x == '(') {
                        depth++;
                    } else if (x == ')' && --depth == 0) {
                        return k + 1;
                    }
                }
            }
            case '<' -> {
                if (b[i + 1] == '<') {
                    int k = i + 2;
                    while (true) {
                        k = skipWhite(b, k);
                        if (b[k] == '>' && b[k + 1] == '>') {
                            return k + 2;
                        }
                        k = objectEnd(b, k);
                    }
                }
                for (int k = i + 1; ; k++) {
                    if (b[k] == '>') {
                        return k + 1;
                    }
                }
            }
            case '[' -> {
                int k = i + 1;
                while (true) {
                    k = skipWhite(b, k);
                    if (b[k] == ']') {
                        return k + 1;
                    }
                    k = objectEnd(b, k);
                }
            }
            case '/' -> {
                int k = i + 1;
                while (k < b.length && !isWhite(b[k] & 0xff) && !isDelimiter(b[k] & 0xff)) {
                    k++;
                }
                return k;
            }
            default -> {
                if (isDelimiter(c)) {
                    throw new IllegalArgumentException("unexpected '" + (char) c + "' at " + i);
                }
                int k = i;
                while (k < b.length && !isWhite(b[k] & 0xff) && !isDelimiter(b[k] & 0xff)) {
                    k++;
                }
                if (isDigits(b, i, k)) {
                    // "n g R" is one object: look ahead for the generation and the R.
                    int g = skipWhite(b, k);
                    int gEnd = g;
                    while (gEnd < b.length && b[gEnd] >= '0' && b[gEnd] <= '9') {
                        gEnd++;
                    }
                    if (gEnd > g) {
                        int r = skipWhite(b, gEnd);
                        if (r < b.length && b[r] == 'R' && (r + 1 >= b.length || isWhite(b[r + 1] & 0xff)
                                || isDelimiter(b[r + 1] & 0xff))) {
                            return r + 1;
                        }
                    }
                }
                if (k == i) {
                    throw new IllegalArgumentException("empty token at " + i);
                }
                return k;
            }
        }
    }

    private static boolean isDigits(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return to > from;
    }

    private static int integer(byte[] b, int i, int[] out) {
        int k = i;
        long v = 0;
        while (k < b.length && b[k] >= '0' && b[k] <= '9' && k - i < 10) {
            v = v * 10 + (b[k] - '0');
            k++;
        }
        if (k == i) {
            throw new IllegalArgumentException("integer expected at " + i);
        }
        out[0] = (int) Math.min(v, Integer.MAX_VALUE);
        return k;
    }

    /** A name's characters with {@code #xx} escapes decoded. */
    static String decodeName(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int k = from; k < to; k++) {
            if (b[k] == '#' && k + 2 < to) {
                int hi = Character.digit(b[k + 1], 16);
                int lo = Character.digit(b[k + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    k += 2;
                    continue;
                }
            }
            out.write(b[k]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code value} as PDF syntax. Output depends on the value only (dictionary order is
     * kept), which the metadata revision's byte-for-byte reproducibility rests on.
     */
    static void write(COSBase value, ByteArrayOutputStream out) {
        if (value instanceof COSObject ref) {
            if (ref.getKey() == null) {
                throw new IllegalArgumentException("an indirect reference without an object number");
            }
            ascii(out, ref.getKey().getNumber() + " " + ref.getKey().getGeneration() + " R");
        } else if (value instanceof COSStream) {
            throw new IllegalArgumentException("a stream cannot be written as a direct object");
        } else if (value instanceof COSDictionary dict) {
            ascii(out, "<<");
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                write(e.getKey(), out);
                out.write(' ');
                write(e.getValue(), out);
            }
            ascii(out, ">>");
        } else if (value instanceof COSArray array) {
            out.write('[');
            for (int k = 0; k < array.size(); k++) {
                if (k > 0) {
                    out.write(' ');
                }
                write(array.get(k), out);
            }
            out.write(']');
        } else if (value instanceof COSString s) {
            if (s.getForceHexForm() || !isPrintable(s.getBytes())) {
                // Binary strings (IDs, UTF-16 text) read better, and stay shorter, in hex.
                ascii(out, "<" + s.toHexString() + ">");
            } else {
                writeLiteral(s.getBytes(), out);
            }
        } else if (value instanceof COSName name) {
            out.write('/');
            for (byte x : name.getName().getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                if (c < 0x21 || c > 0x7e || c == '#' || isDelimiter(c)) {
                    ascii(out, String.format("#%02X", c));
                } else {
                    out.write(c);
                }
            }
        } else if (value instanceof COSInteger i) {
            ascii(out, Long.toString(i.longValue()));
        } else if (value instanceof COSFloat f) {
            ascii(out, new BigDecimal(Float.toString(f.floatValue())).stripTrailingZeros().toPlainString());
        } else if (value instanceof COSBoolean bool) {
            ascii(out, bool.getValue() ? "true" : "false");
        } else if (value == null || value instanceof COSNull) {
            ascii(out, "null");
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName());
        }
    }

    /**
     * A literal string: printable ASCII verbatim, {@code ( ) \} escaped, anything else as an octal
     * escape, so the bytes survive any end-of-line conversion and an ASCII value appears verbatim.
     */
    static void writeLiteral(byte[] bytes, ByteArrayOutputStream out) {
        out.write('(');
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '(' || c == ')' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20 || c > 0x7e) {
                ascii(out, String.format("\\%03o", c));
            } else {
                out.write(c);
            }
        }
        out.write(')');
    }

    private static boolean isPrintable(byte[] bytes) {
        for (byte x : bytes) {
            if (x < 0x20 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
