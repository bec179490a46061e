package dev.yuanjian.cli;

/**
 * Text from outside (file names, values read from files, error messages quoting them) made safe
 * for a terminal line: a control character could split a line (newline), hide text (carriage
 * return) or, as an ANSI escape sequence, rewrite what the terminal shows. Each is printed as an
 * escape instead: {@code \n}, {@code \r}, {@code \t}, {@code \x1b} (other C0 and C1 controls and
 * DEL as {@code \xHH}), and the Unicode line separators and bidirectional overrides, which reorder
 * what is seen, as {@code \u202e} and the like. A backslash itself is printed as {@code \\}, so that a
 * name holding the two characters backslash and n never reads the same as one holding a newline.
 * Everything else, Chinese included, is unchanged.
 * JSON output needs none of this: the JSON writer escapes control characters itself.
 */
final class Escape {
    private Escape() {
    }

    /** {@code text} (its {@code toString()}) with every control character and backslash escaped as described above. */
    static String of(Object text) {
        String s = String.valueOf(text);
        if (s.chars().noneMatch(Escape::escaped)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!escaped(c)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean escaped(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\\'
                || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) // bidirectional embeddings, overrides, isolates
                || c == 0x200e || c == 0x200f || c == 0x061c; // direction marks
    }
}
