package dev.yuanjian.container;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Markdown (UTF-8, {@code .md} {@code .markdown}). Metadata is a top-level key of the YAML front
 * matter, named {@link MetadataKey#name()}; the text body is everything after the front matter.
 *
 * <p>Front matter is the block between a first line {@code ---} (after an optional BOM) and the
 * next line {@code ---} or {@code ...}. The container edits it as text and never re-serialises
 * YAML, so every byte outside the one entry is kept, comments and key order included. It writes
 * {@code KEY: '<value>'} (a single-quoted YAML string, {@code '} doubled) on one line in the file's
 * own line ending, creating the front matter when the file has none. It reads that, a
 * double-quoted string (YAML escapes decoded), a block scalar ({@code |} or {@code >}, indentation
 * removed) and a plain value such as a JSON flow mapping on one line or several (returned as its
 * raw text, trimmed). A key's value may continue on indented lines; the entry ends at the next
 * line that is not indented.
 */
public final class MarkdownContainer implements Container, TextBody {
    private static final FormatSignature SIGNATURE =
            FormatSignature.text("markdown", "text/markdown", List.of(".md", ".markdown"), false);

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** UTF-8 throughout, and front matter (when present) closed. */
    @Override
    public void check(Asset asset) throws FormatException {
        Bytes.requireUtf8(asset.bytes(), asset.name());
        FrontMatter.parse(asset.bytes(), asset.name(), null);
    }

    /**
     * The front matter value of {@code key}: decoded when quoted or a block scalar, else its raw text.
     *
     * @throws FormatException when the front matter is unterminated, the key appears twice, has no
     *     value, or its quoted value is broken (unclosed quote, bad escape, text after the quote)
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name(), key.name());
        Entry entry = fm == null ? null : fm.onlyEntry(asset.name(), key.name());
        return entry == null ? Optional.empty() : Optional.of(entry.value(b, asset.name(), key.name()));
    }

    /**
     * The file with {@code KEY: '<value>'} as the key's only entry.
     *
     * @throws IllegalArgumentException when {@code value} holds a line break or another control
     *     character other than tab: a one-line single-quoted YAML string cannot carry it
     */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        requireOneLine(value);
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name(), key.name());
        byte[] line = (key.name() + ": '" + value.replace("'", "''") + "'").getBytes(StandardCharsets.UTF_8);
        if (fm == null) {
            int start = bomLength(b);
            byte[] eol = Bytes.lineEnding(b, start);
            byte[] fence = {'-', '-', '-'};
            return asset.withBytes(Bytes.splice(b, start, start, Bytes.concat(fence, eol, line, eol, fence, eol)));
        }
        Entry entry = fm.onlyEntry(asset.name(), key.name());
        if (entry != null) {
            return asset.withBytes(Bytes.splice(b, entry.start, entry.end, line));
        }
        return asset.withBytes(Bytes.splice(b, fm.closeLine, fm.closeLine, Bytes.concat(line, fm.eol)));
    }

    @Override
    public Optional<TextBody> textBody() {
        return Optional.of(this);
    }

    /** The body after the front matter (and BOM), decoded; the file must be UTF-8. */
    @Override
    public String visibleText(Asset asset, int maxChars) throws FormatException {
        // Reads only the sample; the whole file's UTF-8 is checked once, by check().
        byte[] b = asset.bytes();
        String body = Bytes.utf8Sample(b, bodyStart(b, asset.name()), maxChars);
        return body.length() > maxChars ? body.substring(0, maxChars) : body;
    }

    @Override
    public boolean containsAny(Asset asset, List<String> texts) throws FormatException {
        byte[] b = asset.bytes();
        return Bytes.containsAny(b, bodyStart(b, asset.name()), texts.toArray(String[]::new));
    }

    /**
     * The paragraph goes right after the front matter (START, followed by a blank line) or at the
     * end (END, after a blank line, keeping whether the file ended in a line break). An empty body
     * becomes the paragraph and a line break.
     */
    @Override
    public Asset insertParagraph(Asset asset, String text, Edge edge) throws FormatException {
        // Valid UTF-8 stays valid; whether the file is UTF-8 is check()'s question, asked once.
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name(), null);
        int body = fm == null ? bomLength(b) : fm.bodyStart;
        byte[] eol = fm == null ? Bytes.lineEnding(b, body) : fm.eol;
        byte[] paragraph = text.getBytes(StandardCharsets.UTF_8);
        if (body == b.length) {
            return asset.withBytes(Bytes.splice(b, body, body, Bytes.concat(paragraph, eol)));
        }
        if (edge == Edge.START) {
            // A blank line after the paragraph keeps it a paragraph of its own.
            return asset.withBytes(Bytes.splice(b, body, body, Bytes.concat(paragraph, eol, eol)));
        }
        byte[] tail;
        if (endsWithBlankLine(b, body)) {
            tail = Bytes.concat(paragraph, eol);
        } else if (b[b.length - 1] == '\n') {
            tail = Bytes.concat(eol, paragraph, eol);
        } else {
            tail = Bytes.concat(eol, eol, paragraph);
        }
        return asset.withBytes(Bytes.splice(b, b.length, b.length, tail));
    }

    private static int bodyStart(byte[] b, String name) throws FormatException {
        FrontMatter fm = FrontMatter.parse(b, name, null);
        return fm == null ? bomLength(b) : fm.bodyStart;
    }

    private static void requireOneLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException("a Markdown front matter value is written on one line and cannot "
                        + "hold control character " + String.format("U+%04X", (int) c) + " (at index " + i
                        + "); escape it in the value (e.g. as JSON \\n) before storing it");
            }
        }
    }

    private static boolean endsWithBlankLine(byte[] b, int from) {
        int n = b.length;
        if (n - from >= 2 && b[n - 1] == '\n' && b[n - 2] == '\n') {
            return true;
        }
        return n - from >= 4 && b[n - 1] == '\n' && b[n - 2] == '\r' && b[n - 3] == '\n' && b[n - 4] == '\r';
    }

    private static int bomLength(byte[] b) {
        return Bytes.utf8BomLength(b);
    }

    /**
     * One top-level entry of the key: its key line and any indented continuation lines,
     * {@code [start, end)} without the final line break; {@code line} is 1-based in the file.
     */
    private record Entry(int start, int end, int line, int valueStart, int keyLineEnd) {

        String where(String name) {
            return name + ", front matter line " + line;
        }

        /** The entry's value decoded from its YAML style. */
        String value(byte[] b, String name, String key) throws FormatException {
            String where = where(name);
            // Latin-1 keeps one char per byte, so offsets stay byte offsets; YAML's delimiters are
            // ASCII and never occur inside a UTF-8 multi-byte sequence. Values are decoded as UTF-8.
            String src = new String(b, 0, end, StandardCharsets.ISO_8859_1);
            int v = valueStart;
            if (v == keyLineEnd) {
                v = skipBlank(src, keyLineEnd, end);
            }
            if (v >= end) {
                throw new FormatException("the " + key + " key in " + where + " has no value; give it one, e.g. "
                        + key + ": 'value', or delete the line");
            }
            char first = src.charAt(v);
            if (first == '\'' || first == '"') {
                int close = v + 1;
                while (true) {
                    if (close >= end) {
                        throw new FormatException("the " + key + " value in " + where + " opens a quote (" + first
                                + ") that never closes; close it on the same entry");
                    }
                    char c = src.charAt(close);
                    if (c == first) {
                        if (first == '\'' && close + 1 < end && src.charAt(close + 1) == '\'') {
                            close += 2;
                            continue;
                        }
                        break;
                    }
                    close += (first == '"' && c == '\\') ? 2 : 1;
                }
                String rest = src.substring(close + 1, end).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    throw new FormatException("unexpected text after the quoted " + key + " value in " + where + ": "
                            + rest + "; put it inside the quotes or after a #");
                }
                String content = utf8(b, v + 1, close, where);
                return first == '\'' ? Scalars.yamlSingleQuoted(content) : Scalars.yamlDoubleQuoted(content, where);
            }
            if ((first == '|' || first == '>') && v < keyLineEnd) {
                return blockScalar(utf8(b, Math.min(end, keyLineEnd + 1), end, where), first == '>',
                        src.substring(v, keyLineEnd).strip());
            }
            int e = end;
            while (e > v && Character.isWhitespace(src.charAt(e - 1))) {
                e--;
            }
            return utf8(b, v, e, where);
        }

        /**
         * A block scalar's lines without their common indentation: literal ({@code |}) keeps line
         * breaks, folded ({@code >}) joins lines with spaces; one final line break unless the
         * header has the strip indicator {@code -}.
         */
        private static String blockScalar(String block, boolean folded, String header) {
            List<String> lines = new ArrayList<>(Arrays.asList(block.replace("\r\n", "\n").split("\n", -1)));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            int indent = Integer.MAX_VALUE;
            for (String l : lines) {
                if (!l.isBlank()) {
                    indent = Math.min(indent, l.length() - l.stripLeading().length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < lines.size(); k++) {
                String l = lines.get(k);
                String content = l.isBlank() ? "" : l.substring(indent);
                if (k > 0) {
                    boolean fold = folded && !content.isEmpty() && !lines.get(k - 1).isBlank();
                    out.append(fold ? ' ' : '\n');
                }
                out.append(content);
            }
            if (!header.contains("-") && !lines.isEmpty()) {
                out.append('\n');
            }
            return out.toString();
        }

        private static String utf8(byte[] b, int from, int to, String where) throws FormatException {
            byte[] slice = Arrays.copyOfRange(b, from, to);
            Bytes.requireUtf8(slice, where);
            return new String(slice, StandardCharsets.UTF_8);
        }

        private static int skipBlank(String src, int from, int end) {
            int i = from;
            while (i < end && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
            return i;
        }
    }

    /**
     * Where the front matter is, and the entries of one key in it; {@code null} from {@link #parse}
     * when the file has none.
     */
    private record FrontMatter(int bodyStart, int closeLine, byte[] eol, List<Entry> entries) {

        Entry onlyEntry(String name, String key) throws FormatException {
            if (entries.size() > 1) {
                StringBuilder lines = new StringBuilder();
                for (Entry e : entries) {
                    lines.append(lines.isEmpty() ? "" : " and ").append(e.line);
                }
                throw new FormatException(name + " has " + entries.size() + " " + key + " keys in its front matter "
                        + "(lines " + lines + "); a key holds one value: delete all but one");
            }
            return entries.isEmpty() ? null : entries.get(0);
        }

        /** The front matter with the entries of {@code key} (none when {@code key} is null). */
        static FrontMatter parse(byte[] b, String name, String key) throws FormatException {
            int start = bomLength(b);
            int firstEnd = lineEnd(b, start);
            if (!isFence(b, start, firstEnd, '-')) {
                return null;
            }
            byte[] eol = Bytes.lineEnding(b, start);
            List<Entry> entries = new ArrayList<>();
            int line = 1;
            int at = firstEnd + 1;
            Entry open = null;
            while (at < b.length) {
                int le = lineEnd(b, at);
                line++;
                if (isFence(b, at, le, '-') || isFence(b, at, le, '.')) {
                    if (open != null) {
                        entries.add(open);
                    }
                    return new FrontMatter(Math.min(le + 1, b.length), at, eol, entries);
                }
                int contentEnd = le > at && b[le - 1] == '\r' ? le - 1 : le;
                boolean indented = at < le && (b[at] == ' ' || b[at] == '\t');
                if (open != null && indented) {
                    open = new Entry(open.start, contentEnd, open.line, open.valueStart, open.keyLineEnd);
                } else {
                    if (open != null) {
                        entries.add(open);
                        open = null;
                    }
                    int value = key == null ? -1 : keyValueStart(b, at, contentEnd, Bytes.ascii(key));
                    if (value >= 0) {
                        open = new Entry(at, contentEnd, line, value, contentEnd);
                    }
                }
                at = le + 1;
            }
            throw new FormatException(name + ": unterminated front matter: the '---' on line 1 has no closing "
                    + "'---' line; add one after the metadata, or remove the first line if it is not front matter");
        }

        /** After {@code KEY:} and its blanks, or -1 when the line is not the top-level key. */
        private static int keyValueStart(byte[] b, int from, int to, byte[] key) {
            int i = from;
            if (i < to && (b[i] == '"' || b[i] == '\'')) {
                byte q = b[i];
                int close = i + 1 + key.length;
                if (!Bytes.startsWith(b, i + 1, key) || close >= to || b[close] != q) {
                    return -1;
                }
                i = close + 1;
            } else if (Bytes.startsWith(b, i, key)) {
                i += key.length;
            } else {
                return -1;
            }
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i >= to || b[i] != ':') {
                return -1;
            }
            i++;
            if (i < to && b[i] != ' ' && b[i] != '\t') {
                return -1;
            }
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            return i;
        }

        private static int lineEnd(byte[] b, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return b.length;
        }

        private static boolean isFence(byte[] b, int from, int to, char c) {
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
    }
}
