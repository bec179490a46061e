package dev.yuanjian.privacy.rules;

import java.util.List;
import java.util.Locale;

/**
 * Words that make a candidate more likely what it looks like ({@code 身份证}, {@code passport}),
 * looked for case-insensitively within {@value #BEFORE} characters before the candidate and
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
        int from = Math.max(0, start - BEFORE);
        int to = Math.min(text.length(), end + AFTER);
        for (String w : words) {
            if (within(text, from, start, w) || within(text, end, to, w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(String text, int from, int to, String word) {
        for (int i = from; i + word.length() <= to; i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }
}
