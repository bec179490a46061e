package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks a PDF's cross-reference chain as a strict reader follows it (ISO 32000-1 section 7.5.4-7.5.8),
 * without PDFBox: PDFBox repairs damage silently, and an incremental update written on a damaged
 * chain would point back into it. From the last {@code startxref}, every section (table or
 * stream, then each {@code /Prev} and {@code /XRefStm}) must start where it is said to, and every
 * in-use entry must point at its object's {@code num gen obj}: in a table, and in a stream that is
 * unfiltered or Flate-compressed (with or without a PNG predictor, as writers make them). Entries
 * of streams with other filters, and objects inside object streams, are not checked one by one.
 */
final class PdfXref {
    private static final byte[] STARTXREF = Bytes.ascii("startxref");
    private static final byte[] EOF = Bytes.ascii("%%EOF");
    private static final Pattern PREDICTOR = Pattern.compile("/Predictor\\s+(\\d+)");

    private PdfXref() {
    }

    /** What is wrong with a cross-reference chain, for a person. */
    record Damage(String en, String zh) {
    }

    /** The value of the file's last {@code startxref}, or -1 when it has none or it is not a number. */
    static long lastStartXref(byte[] b) {
        int at = Bytes.lastIndexOf(b, STARTXREF, 0, b.length);
        if (at < 0) {
            return -1;
        }
        int i = PdfSyntax.skipWhite(b, at + STARTXREF.length);
        long v = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 12) {
            v = v * 10 + (b[i++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** The first fault a strict reader meets, or empty when the chain is sound. */
    static Optional<Damage> damage(byte[] b) {
        int at = Bytes.lastIndexOf(b, STARTXREF, 0, b.length);
        if (at < 0) {
            return Optional.of(new Damage("it has no startxref (where readers find the cross-reference)",
                    "文件没有 startxref（阅读器据此找到交叉引用表）"));
        }
        long start = lastStartXref(b);
        if (start < 0 || start >= b.length) {
            return Optional.of(new Damage("its startxref points outside the file", "startxref 指向文件之外"));
        }
        int eof = Bytes.indexOf(b, EOF, at, b.length);
        int tail = eof < 0 ? b.length : eof + EOF.length;
        if (Bytes.indexOf(b, Bytes.ascii(" obj"), tail, b.length) >= 0 || Bytes.indexOf(b, Bytes.ascii("trailer"), tail, b.length) >= 0
                || Bytes.indexOf(b, Bytes.ascii("xref"), tail, b.length) >= 0) {
            return Optional.of(new Damage("it ends in an incremental update without its startxref (cut off?): readers "
                    + "show the revision before it", "文件末尾的增量更新缺少 startxref（可能被截断），阅读器显示的是此前的版本"));
        }
        if (PdfSyntax.skipWhite(b, tail) < b.length) {
            // white space and comments are PDF syntax; anything else a strict reader stumbles over
            return Optional.of(new Damage((b.length - tail) + " bytes after its %%EOF are not part of the PDF",
                    "%%EOF 之后有 " + (b.length - tail) + " 字节不属于 PDF 的数据"));
        }
        Optional<Damage> catalog = catalogNamed(b, start);
        if (catalog.isPresent()) {
            return catalog;
        }
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Long> sections = new ArrayDeque<>(List.of(start));
        while (!sections.isEmpty()) {
            long offset = sections.pop();
            if (!seen.add(offset)) {
                continue; // a loop of /Prev: each section once
            }
            Optional<Damage> d = section(b, offset, sections);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /**
     * The newest trailer (or cross-reference stream dictionary) must name the document catalog
     * (PDF 32000-1, 7.5.5 and 7.5.6: an update's trailer repeats every entry but /Prev). Without it
     * strict readers cannot open the file, and PDFBox finds the catalog only by searching.
     */
    private static Optional<Damage> catalogNamed(byte[] b, long offset) {
        try {
            int x = PdfSyntax.skipWhite(b, (int) offset);
            List<PdfSyntax.Entry> dict;
            if (Bytes.startsWith(b, x, Bytes.ascii("xref"))) {
                int t = Bytes.indexOf(b, Bytes.ascii("trailer"), x, b.length);
                int d = t < 0 ? -1 : PdfSyntax.skipWhite(b, t + 7);
                dict = d < 0 || !Bytes.startsWith(b, d, Bytes.ascii("<<")) ? null : PdfSyntax.dictionaryAt(b, d);
            } else {
                dict = objectDictionaryAt(b, x);
            }
            if (dict != null && dict.stream().noneMatch(e -> e.key().equals("Root"))) {
                return Optional.of(new Damage("its trailer names no document catalog (/Root)", "其 trailer 未指明文档目录（/Root）"));
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // not a section at all: section() reports that
        }
        return Optional.empty();
    }

    /** Checks the section at {@code offset} and queues the sections it points back to. */
    private static Optional<Damage> section(byte[] b, long offset, Deque<Long> more) {
        if (offset < 0 || offset >= b.length) {
            return Optional.of(new Damage("a cross-reference offset (" + offset + ") points outside the file",
                    "交叉引用偏移量（" + offset + "）指向文件之外"));
        }
        int x = PdfSyntax.skipWhite(b, (int) offset);
        try {
            if (Bytes.startsWith(b, x, Bytes.ascii("xref"))) {
                return table(b, x + 4, more);
            }
            List<PdfSyntax.Entry> dict = objectDictionaryAt(b, x);
            if (dict != null && dict.stream().anyMatch(e -> e.key().equals("Type") && token(b, e).equals("/XRef"))) {
                queue(b, dict, more);
                return stream(b, x, dict);
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // falls through to the damage below: the bytes there are not a section
        }
        return Optional.of(new Damage("a cross-reference offset (" + offset + ") points at neither a table nor a stream",
                "交叉引用偏移量（" + offset + "）指向的既不是交叉引用表也不是交叉引用流"));
    }

    private static Optional<Damage> table(byte[] b, int i, Deque<Long> more) {
        while (true) {
            i = PdfSyntax.skipWhite(b, i);
            if (Bytes.startsWith(b, i, Bytes.ascii("trailer"))) {
                int d = PdfSyntax.skipWhite(b, i + 7);
                if (!Bytes.startsWith(b, d, Bytes.ascii("<<"))) {
                    break;
                }
                queue(b, PdfSyntax.dictionaryAt(b, d), more);
                return Optional.empty();
            }
            long[] first = new long[1];
            long[] count = new long[1];
            i = number(b, i, first);
            i = number(b, PdfSyntax.skipWhite(b, i), count);
            for (long n = 0; n < count[0]; n++) {
                long[] off = new long[1];
                long[] gen = new long[1];
                i = number(b, PdfSyntax.skipWhite(b, i), off);
                i = number(b, PdfSyntax.skipWhite(b, i), gen);
                i = PdfSyntax.skipWhite(b, i);
                byte kind = b[i++];
                if (kind == 'n' && !objectAt(b, off[0], first[0] + n, gen[0])) {
                    return Optional.of(new Damage("its cross-reference table gives a wrong offset (" + off[0] + ") for object "
                            + (first[0] + n), "交叉引用表中对象 " + (first[0] + n) + " 的偏移量（" + off[0] + "）有误"));
                }
                if (kind != 'n' && kind != 'f') {
                    throw new IllegalArgumentException("entry type expected at " + (i - 1));
                }
            }
        }
        return Optional.of(new Damage("its cross-reference table has no trailer", "交叉引用表没有 trailer"));
    }

    /** Checks the type 1 entries of the cross-reference stream whose object starts at {@code x}. */
    private static Optional<Damage> stream(byte[] b, int x, List<PdfSyntax.Entry> dict) {
        Map<String, String> d = new HashMap<>();
        dict.forEach(e -> d.put(e.key(), token(b, e)));
        String filter = d.getOrDefault("Filter", "").replaceAll("[\\[\\]\\s]", "");
        if (!filter.isEmpty() && !filter.equals("/FlateDecode")) {
            return Optional.empty();
        }
        int[] w = ints(d.get("W"));
        int[] index = d.containsKey("Index") ? ints(d.get("Index")) : new int[] {0, ints(d.get("Size"))[0]};
        int end = dict.get(dict.size() - 1).valueEnd();
        int start = Bytes.indexOf(b, Bytes.ascii("stream"), end, Math.min(b.length, end + 64)) + 6;
        if (start < 6 || w.length != 3 || index.length % 2 != 0) {
            throw new IllegalArgumentException("a cross-reference stream without W, Index or data");
        }
        start += b[start] == '\r' ? 2 : 1;
        int stop = Bytes.indexOf(b, Bytes.ascii("endstream"), start, b.length);
        byte[] data = Arrays.copyOfRange(b, start, stop < 0 ? b.length : stop);
        if (!filter.isEmpty()) {
            data = inflate(data);
        }
        int row = w[0] + w[1] + w[2];
        String parms = d.getOrDefault("DecodeParms", "");
        if (parms.endsWith("R") || parms.contains("/Colors") || parms.contains("/BitsPerComponent")) {
            return Optional.empty(); // not how writers make them: leave it to PDFBox rather than guess
        }
        Matcher predictor = PREDICTOR.matcher(parms);
        if (predictor.find() && Integer.parseInt(predictor.group(1)) >= 10) {
            data = unpredict(data, row);
        }
        int at = 0;
        for (int k = 0; k < index.length; k += 2) {
            for (int n = 0; n < index[k + 1] && at + row <= data.length; n++, at += row) {
                long type = w[0] == 0 ? 1 : field(data, at, w[0]);
                long offset = field(data, at + w[0], w[1]);
                long gen = field(data, at + w[0] + w[1], w[2]);
                long num = (long) index[k] + n;
                if (type == 1 && !objectAt(b, offset, num, gen)) {
                    return Optional.of(new Damage("its cross-reference stream gives a wrong offset (" + offset
                            + ") for object " + num, "交叉引用流中对象 " + num + " 的偏移量（" + offset + "）有误"));
                }
            }
        }
        return Optional.empty();
    }

    private static int[] ints(String array) {
        if (array == null) {
            return new int[0];
        }
        String inner = array.replaceAll("[\\[\\]]", " ").trim();
        return inner.isEmpty() ? new int[0] : Arrays.stream(inner.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    private static long field(byte[] data, int at, int width) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            v = (v << 8) | (data[at + k] & 0xff);
        }
        return v;
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished() && !inflater.needsInput()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsDictionary()) {
                    break;
                }
                out.write(buffer, 0, n);
                if (out.size() > 64 << 20) {
                    throw new IllegalArgumentException("a cross-reference stream over 64 MB");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a cross-reference stream that does not inflate", e);
        } finally {
            inflater.end();
        }
    }

    /** Undoes the PNG predictors (RFC 2083 section 6) for rows of {@code row} one-byte samples. */
    private static byte[] unpredict(byte[] data, int row) {
        int rows = data.length / (row + 1);
        byte[] out = new byte[rows * row];
        for (int r = 0; r < rows; r++) {
            int type = data[r * (row + 1)];
            for (int c = 0; c < row; c++) {
                int raw = data[r * (row + 1) + 1 + c] & 0xff;
                int left = c > 0 ? out[r * row + c - 1] & 0xff : 0;
                int up = r > 0 ? out[(r - 1) * row + c] & 0xff : 0;
                int upLeft = c > 0 && r > 0 ? out[(r - 1) * row + c - 1] & 0xff : 0;
                int predicted = switch (type) {
                    case 1 -> left;
                    case 2 -> up;
                    case 3 -> (left + up) / 2;
                    case 4 -> paeth(left, up, upLeft);
                    default -> 0;
                };
                out[r * row + c] = (byte) (raw + predicted);
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void queue(byte[] b, List<PdfSyntax.Entry> dict, Deque<Long> more) {
        for (PdfSyntax.Entry e : dict) {
            if (e.key().equals("Prev") || e.key().equals("XRefStm")) {
                String v = token(b, e);
                if (!v.matches("\\d{1,12}")) {
                    throw new IllegalArgumentException("/" + e.key() + " is not an offset");
                }
                more.push(Long.parseLong(v));
            }
        }
    }

    /** True when {@code num gen obj} starts at {@code offset} (white space before it allowed). */
    static boolean objectAt(byte[] b, long offset, long num, long gen) {
        if (offset <= 0 || offset >= b.length) {
            return false;
        }
        try {
            int i = PdfSyntax.skipWhite(b, (int) offset);
            long[] n = new long[1];
            long[] g = new long[1];
            i = number(b, i, n);
            i = number(b, PdfSyntax.skipWhite(b, i), g);
            i = PdfSyntax.skipWhite(b, i);
            return n[0] == num && g[0] == gen && Bytes.startsWith(b, i, Bytes.ascii("obj"));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static List<PdfSyntax.Entry> objectDictionaryAt(byte[] b, int x) {
        long[] n = new long[1];
        long[] g = new long[1];
        int i = number(b, x, n);
        i = number(b, PdfSyntax.skipWhite(b, i), g);
        return PdfSyntax.objectDictionary(b, x, n[0], (int) g[0]);
    }

    private static String token(byte[] b, PdfSyntax.Entry e) {
        return new String(b, e.valueStart(), e.valueEnd() - e.valueStart(), StandardCharsets.ISO_8859_1);
    }

    private static int number(byte[] b, int i, long[] out) {
        int k = i;
        long v = 0;
        while (k < b.length && b[k] >= '0' && b[k] <= '9' && k - i < 12) {
            v = v * 10 + (b[k] - '0');
            k++;
        }
        if (k == i) {
            throw new IllegalArgumentException("number expected at " + i);
        }
        out[0] = v;
        return k;
    }
}
