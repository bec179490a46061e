package dev.yuanjian.privacy;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A text folded to the forms recognizers are written for, with a map back to the original:
 * full-width ASCII ({@code １３８}, {@code ＠}) becomes ASCII, the ideographic and other spaces
 * become a plain space, the many dashes become {@code -}, and invisible characters (ZWSP, ZWNJ,
 * ZWJ, word joiner, BOM, soft hyphen, Mongolian vowel separator, combining grapheme joiner, the
 * bidirectional marks and isolates, the invisible operators U+2061-2064, variation selectors
 * U+FE00-FE0F) are removed, so that a number with
 * such characters inside is still one number. Every other character is kept as it is; surrogate
 * pairs stay pairs.
 *
 * <p>Offsets: {@link #originalStart(int)} and {@link #originalEnd(int)} take a span of {@link #text()}
 * to the span of the original that produced it (removed characters inside the span stay inside it).
 */
public final class NormalizedText {
    private final String original;
    private final String text;
    /**
     * origin[i] is the original index of text's char i; null when no character was removed (folding
     * replaces one unit by one, so the offsets are then the identity and a long text costs no map).
     */
    private final int[] origin;
    /** Scans shared by recognizers: key, value, key, value; see {@link #shared}. */
    private Object[] shared = new Object[0];

    private NormalizedText(String original, String text, int[] origin) {
        this.original = original;
        this.text = text;
        this.origin = origin;
    }

    /** Normalises {@code original}; time and memory linear in its length. */
    public static NormalizedText of(String original) {
        int n = original.length();
        int first = 0;
        while (first < n && fold(original.charAt(first)) == original.charAt(first)) {
            first++;
        }
        if (first == n) {
            return new NormalizedText(original, original, null);
        }
        char[] out = new char[n];
        original.getChars(0, first, out, 0);
        int[] origin = null;
        int k = first;
        for (int i = first; i < n; i++) {
            char c = original.charAt(i);
            char folded = c < 0x80 || c >= '\u4E00' && c <= '\u9FFF' ? c : fold(c);
            if (folded == 0) {
                if (origin == null) {
                    origin = new int[n];
                    for (int j = 0; j < k; j++) {
                        origin[j] = j;
                    }
                }
                continue;
            }
            out[k] = folded;
            if (origin != null) {
                origin[k] = i;
            }
            k++;
        }
        return new NormalizedText(original, new String(out, 0, k), origin == null ? null : Arrays.copyOf(origin, k));
    }

    /**
     * The result of {@code scan} on this text, computed on the first call with that {@code scan}
     * object and returned again after: recognizers that read the same candidates (digit groups,
     * tokens) share one pass over a text. {@code scan} must be a pure function of the text, held in a
     * constant so that it is the same object each time. Thread-safe.
     */
    public synchronized <T> T shared(Function<NormalizedText, T> scan) {
        for (int i = 0; i < shared.length; i += 2) {
            if (shared[i] == scan) {
                @SuppressWarnings("unchecked")
                T value = (T) shared[i + 1];
                return value;
            }
        }
        T value = scan.apply(this);
        shared = Arrays.copyOf(shared, shared.length + 2);
        shared[shared.length - 2] = scan;
        shared[shared.length - 1] = value;
        return value;
    }

    /** The folded form of one UTF-16 unit, or 0 when it is removed. */
    static char fold(char c) {
        if (c < 0x80) {
            return c;
        }
        if (c >= 0xFF01 && c <= 0xFF5E) {
            return (char) (c - 0xFEE0);
        }
        return switch (c) {
            case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u034F', '\u061C',
                 '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
                 '\u2061', '\u2062', '\u2063', '\u2064', '\u2066', '\u2067', '\u2068', '\u2069' -> 0;
            case '\u3000', '\u00A0', '\u202F', '\u205F' -> ' ';
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63' -> '-';
            case '\uFE6B' -> '@';
            default -> c >= '\u2000' && c <= '\u200A' ? ' ' : c >= '\uFE00' && c <= '\uFE0F' ? 0 : c;
        };
    }

    /** The text as given. */
    public String original() {
        return original;
    }

    /** The normalised text recognizers read. */
    public String text() {
        return text;
    }

    /** The original index of the normalised index {@code start} (a span's first character). */
    public int originalStart(int start) {
        return origin == null ? start : start == text.length() ? original.length() : origin[start];
    }

    /** The original index just after the span that ends (exclusive) at normalised index {@code end}. */
    public int originalEnd(int end) {
        return origin == null || end == 0 ? end : origin[end - 1] + 1;
    }
}
