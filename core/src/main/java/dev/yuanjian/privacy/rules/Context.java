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
        int before = Math.max(0, start - BEFORE);
        int after = Math.min(text.length(), end + AFTER);
        for (String w : words) {
            if (occurs(w, text, before, start) || occurs(w, text, end, after)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code word} lies wholly inside [from, to) of {@code text}, ASCII upper case folded; no copy is made. */
    private static boolean occurs(String word, String text, int from, int to) {
        int len = word.length();
        char first = word.charAt(0);
        for (int i = from; i + len <= to; i++) {
            if (lower(text.charAt(i)) != first) {
                continue;
            }
            int k = 1;
            while (k < len && lower(text.charAt(i + k)) == word.charAt(k)) {
                k++;
            }
            if (k == len) {
                return true;
            }
        }
        return false;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
