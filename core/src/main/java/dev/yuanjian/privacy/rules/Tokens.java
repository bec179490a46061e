package dev.yuanjian.privacy.rules;

import dev.yuanjian.privacy.NormalizedText;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The candidate scan of code-like recognizers: maximal runs of ASCII letters and digits, read once
 * per text (shared through {@link NormalizedText#shared}) and kept when {@value #SHORTEST} to
 * {@value #LONGEST} long, the lengths those recognizers ask for.
 */
final class Tokens {
    static final int SHORTEST = 9;
    static final int LONGEST = 18;

    /** Receives each token [start, end). */
    @FunctionalInterface
    interface Visitor {
        void token(int start, int end);
    }

    /** The kept tokens of a text as start, end pairs in text order; {@code length} ints are used. */
    private record Kept(int[] bounds, int length) {
    }

    private static final Function<NormalizedText, Kept> KEPT = text -> kept(text.text());

    private Tokens() {
    }

    /**
     * Visits each token of {@code text} whose length is within [min, max]; longer and shorter ones are
     * skipped. Throws IllegalArgumentException unless SHORTEST <= min and max <= LONGEST.
     */
    static void scan(NormalizedText text, int min, int max, Visitor visitor) {
        if (min < SHORTEST || max > LONGEST) {
            throw new IllegalArgumentException("token lengths [" + min + ", " + max + "] outside [" + SHORTEST + ", " + LONGEST + "]");
        }
        Kept kept = text.shared(KEPT);
        int[] bounds = kept.bounds();
        for (int k = 0; k < kept.length(); k += 2) {
            int len = bounds[k + 1] - bounds[k];
            if (len >= min && len <= max) {
                visitor.token(bounds[k], bounds[k + 1]);
            }
        }
    }

    private static Kept kept(String s) {
        int[] bounds = new int[16];
        int length = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!Chars.alnum(s.charAt(i))) {
                i++;
                continue;
            }
            int from = i;
            while (i < n && Chars.alnum(s.charAt(i))) {
                i++;
            }
            if (i - from >= SHORTEST && i - from <= LONGEST) {
                if (length + 2 > bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[length++] = from;
                bounds[length++] = i;
            }
        }
        return new Kept(bounds, length);
    }
}
