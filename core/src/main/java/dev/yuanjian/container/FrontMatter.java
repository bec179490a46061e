package dev.yuanjian.container;

import java.util.Optional;

/**
 * A Markdown file's front matter, as the static-site ecosystem reads it: a leading YAML block
 * between {@code ---} lines (Jekyll, Hugo, GitHub, Pandoc), a TOML block between {@code +++} lines
 * (Hugo) or a leading JSON object (Hugo). A leading block counts only when its syntax parses to a
 * mapping; anything else ({@code ---} then a setext heading, a thematic break, a YAML list or scalar,
 * prose) is Markdown content, and {@link #find} returns null for it.
 *
 * <p>Implementations edit one top-level entry as text and never re-serialise the block; each
 * checks after an edit that its own parser reads exactly the value written, and raises
 * {@link FormatException} when the block's layout would make that false.
 */
sealed interface FrontMatter permits YamlFrontMatter, TomlFrontMatter, JsonFrontMatter {

    /** Offset of the first body byte: just after the block's closing line and its line break. */
    int bodyStart();

    /** The line ending of the block's first line (CRLF or LF). */
    byte[] eol();

    /**
     * The value of top-level {@code key}: a string decoded, another value as its text.
     *
     * @throws FormatException when the key is there twice or cannot be read where it is
     */
    Optional<String> read(byte[] b, String name, String key) throws FormatException;

    /**
     * The file with {@code value} as the only value of top-level {@code key}: the entry replaced
     * where it is, else added at a place that depends on the block only.
     *
     * @param value one line, no control character but tab (the container checks)
     * @throws FormatException when the key is there twice, or the block's layout leaves no place
     *     where the entry is read back as written
     */
    byte[] write(byte[] b, String name, String key, String value) throws FormatException;

    /**
     * The front matter of {@code b}, or null when the file has none (its first line opens no
     * block, the block never closes, or its text is not a mapping in the block's syntax).
     *
     * @param key the key a caller will read or write, to name it in errors; null when none
     * @throws FormatException when the block is front matter but broken where it is read
     */
    static FrontMatter find(byte[] b, String name, String key) throws FormatException {
        int start = Bytes.utf8BomLength(b);
        if (start < b.length && b[start] == '-') {
            return YamlFrontMatter.find(b, start, name, key);
        }
        if (start < b.length && b[start] == '+') {
            return TomlFrontMatter.find(b, start, name, key);
        }
        if (start < b.length && b[start] == '{') {
            return JsonFrontMatter.find(b, start, name, key);
        }
        return null;
    }

    /**
     * Where a fenced block (YAML's {@code ---}, TOML's {@code +++}) lies in a file.
     *
     * @param blockStart offset of the block's first line, just after the opening fence
     * @param closeLine  offset of the closing fence line
     * @param bodyStart  offset just after the closing line and its line break
     * @param eol        the line ending of the opening line
     */
    record Fenced(int blockStart, int closeLine, int bodyStart, byte[] eol) {
        /**
         * The block that opens at {@code start} with a fence of {@code c} and closes with one of
         * {@code c} or {@code alternative}; null when the first line is no fence or it never closes.
         */
        static Fenced find(byte[] b, int start, char c, char alternative) {
            if (!isFence(b, start, lineEnd(b, start), c)) {
                return null;
            }
            int close = closingFence(b, start, c, alternative);
            if (close < 0) {
                return null;
            }
            return new Fenced(lineEnd(b, start) + 1, close, Math.min(lineEnd(b, close) + 1, b.length),
                    Bytes.lineEnding(b, start));
        }

        @Override
        public byte[] eol() {
            return eol.clone();
        }
    }

    /** Offset of the line feed ending the line at {@code from}, or {@code b.length}. */
    static int lineEnd(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    /** The line {@code [from, to)} is three {@code c} and nothing after them but blanks. */
    static boolean isFence(byte[] b, int from, int to, char c) {
        if (to - from < 3 || b[from] != c || b[from + 1] != c || b[from + 2] != c) {
            return false;
        }
        for (int i = from + 3; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Offset of the closing fence line after the opening one at {@code start}, or -1. */
    static int closingFence(byte[] b, int start, char c, char alternative) {
        int at = Math.min(lineEnd(b, start) + 1, b.length + 1);
        while (at < b.length) {
            int le = lineEnd(b, at);
            if (isFence(b, at, le, c) || isFence(b, at, le, alternative)) {
                return at;
            }
            at = le + 1;
        }
        return -1;
    }
}
