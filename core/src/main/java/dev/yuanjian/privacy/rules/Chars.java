package dev.yuanjian.privacy.rules;

/** ASCII character classes the scans share; everything else (CJK, punctuation) is a boundary. */
final class Chars {
    private Chars() {
    }

    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean letter(char c) {
        return upper(c) || c >= 'a' && c <= 'z';
    }

    static boolean alnum(char c) {
        return digit(c) || letter(c);
    }

    static boolean hex(char c) {
        return digit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** True when {@code s} holds an ASCII letter or digit at {@code i} (false outside the string). */
    static boolean alnumAt(String s, int i) {
        return i >= 0 && i < s.length() && alnum(s.charAt(i));
    }

    static boolean digitAt(String s, int i) {
        return i >= 0 && i < s.length() && digit(s.charAt(i));
    }

    /** True when every char of {@code s} in [from, to) is a digit. */
    static boolean digits(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!digit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
