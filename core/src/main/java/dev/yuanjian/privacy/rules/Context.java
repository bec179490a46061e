package dev.yuanjian.privacy.rules;

import java.util.List;
import java.util.Locale;

/**
 * Words that make a candidate more likely what it looks like ({@code 身份证}, {@code passport}),
 * looked for case-insensitively (ASCII letters; the words are lower case) within {@value #BEFORE} characters before the candidate and
 * {@value #AFTER} after it. The window is bounded, so a check costs the same whatever the text.
 */
record Context(List<String> words) {
    static final int BEFORE = 32;
    static final int AFTER = 12;

    static Context of(String... words) {
        return new Context(List.of(words).stream().map(w -> w.toLowerCase(Locale.ROOT)).toList());
    }

    /** True when a word occurs near the span [start, end) of {@code text}. */
    boolean near(String text, int start, int end) {
        String window = lowerCase(text, Math.max(0, start - BEFORE), start) + '\n'
                + lowerCase(text, end, Math.min(text.length(), end + AFTER));
        for (String w : words) {
            if (window.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** [from, to) of {@code text} with ASCII upper case folded; words hold no other cased letters. */
    private static String lowerCase(String text, int from, int to) {
        char[] out = new char[Math.max(0, to - from)];
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            out[i - from] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }
}
