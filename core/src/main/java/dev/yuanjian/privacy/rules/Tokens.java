package dev.yuanjian.privacy.rules;

/** The candidate scan of code-like recognizers: maximal runs of ASCII letters and digits, read once. */
final class Tokens {
    /** Receives each token [start, end). */
    @FunctionalInterface
    interface Visitor {
        void token(int start, int end);
    }

    private Tokens() {
    }

    /** Visits each token whose length is within [min, max]; longer and shorter ones are skipped. */
    static void scan(String s, int min, int max, Visitor visitor) {
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
            if (i - from >= min && i - from <= max) {
                visitor.token(from, i);
            }
        }
    }
}
