package dev.yuanjian.label;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Markdown (UTF-8): the implicit label is the YAML front matter key {@code AIGC}; the explicit label
 * is a paragraph at the start or the end of the body.
 *
 * <p>Front matter is the block between a first line {@code ---} (after an optional BOM) and the
 * next line {@code ---} or {@code ...}. The codec edits it as text and never re-serialises YAML, so
 * every byte outside the one {@code AIGC} entry is kept, comments and key order included. It writes
 * {@code AIGC: '{"AIGC":{...}}'} (a single-quoted YAML string holding the wrapped JSON) on one line,
 * in the file's own line ending; it reads that, a double-quoted string, a JSON flow mapping (wrapped
 * or bare, on one line or several) and a block scalar ({@code |} or {@code >}) holding JSON.
 *
 * <p>Protected digest: SHA-256 of the file with the characters of the {@code ReservedCode1} value,
 * as stored inside the {@code AIGC} entry (between its JSON quotes, still YAML-escaped), cut out.
 * Any other change, in the label or the text, changes the digest.
 */
public final class MarkdownCodec implements LabelCodec {
    private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    @Override
    public String format() {
        return "markdown";
    }

    @Override
    public String mediaType() {
        return "text/markdown";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".md") || lower.endsWith(".markdown")) && !Codecs.looksBinary(head);
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name());
        Entry entry = fm == null ? null : fm.onlyEntry(asset.name());
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(AigcLabel.parse(entry.text(b, asset.name()).json, entry.where(asset.name())));
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name());
        byte[] line = ("AIGC: '" + label.toWrappedJson().replace("'", "''") + "'").getBytes(StandardCharsets.UTF_8);
        if (fm == null) {
            int start = bomLength(b);
            byte[] eol = Bytes.lineEnding(b, start);
            byte[] fence = {'-', '-', '-'};
            return asset.withBytes(splice(b, start, start, Bytes.concat(fence, eol, line, eol, fence, eol)));
        }
        Entry entry = fm.onlyEntry(asset.name());
        if (entry != null) {
            return asset.withBytes(splice(b, entry.start, entry.end, line));
        }
        return asset.withBytes(splice(b, fm.closeLine, fm.closeLine, Bytes.concat(line, fm.eol)));
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        Bytes.requireUtf8(b, asset.name());
        FrontMatter fm = FrontMatter.parse(b, asset.name());
        int body = fm == null ? bomLength(b) : fm.bodyStart;
        if (containsWording(b, body, explicit)) {
            return asset;
        }
        byte[] eol = fm == null ? Bytes.lineEnding(b, body) : fm.eol;
        byte[] wording = explicit.wordingFor(Bytes.utf8Sample(b, body, 4096)).getBytes(StandardCharsets.UTF_8);
        if (body == b.length) {
            return asset.withBytes(splice(b, body, body, Bytes.concat(wording, eol)));
        }
        if (explicit.position() == ExplicitLabel.Position.START) {
            // A blank line after the label keeps it a paragraph of its own.
            return asset.withBytes(splice(b, body, body, Bytes.concat(wording, eol, eol)));
        }
        byte[] tail;
        if (endsWithBlankLine(b, body)) {
            tail = Bytes.concat(wording, eol);
        } else if (b[b.length - 1] == '\n') {
            tail = Bytes.concat(eol, wording, eol);
        } else {
            tail = Bytes.concat(eol, eol, wording);
        }
        return asset.withBytes(splice(b, b.length, b.length, tail));
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name());
        return containsWording(b, fm == null ? bomLength(b) : fm.bodyStart, explicit);
    }

    @Override
    public byte[] protectedDigest(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.parse(b, asset.name());
        Entry entry = fm == null ? null : fm.onlyEntry(asset.name());
        if (entry == null) {
            return Bytes.sha256(b);
        }
        String where = entry.where(asset.name());
        LabelText text = entry.text(b, asset.name());
        AigcLabel.parse(text.json, where);
        Optional<LabelText.Span> span = text.reservedCode1(where);
        return span.isEmpty() ? Bytes.sha256(b) : Bytes.sha256Excluding(b, span.get().start(), span.get().end());
    }

    private static boolean containsWording(byte[] b, int from, ExplicitLabel explicit) {
        return Bytes.containsAny(b, from, explicit.chinese(), explicit.english());
    }

    private static boolean endsWithBlankLine(byte[] b, int from) {
        int n = b.length;
        if (n - from >= 2 && b[n - 1] == '\n' && b[n - 2] == '\n') {
            return true;
        }
        return n - from >= 4 && b[n - 1] == '\n' && b[n - 2] == '\r' && b[n - 3] == '\n' && b[n - 4] == '\r';
    }

    private static int bomLength(byte[] b) {
        return Bytes.startsWith(b, 0, BOM) ? BOM.length : 0;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    /** One top-level {@code AIGC} entry: its key line and any indented continuation lines. */
    private record Entry(int start, int end, int line, int valueStart, int keyLineEnd) {

        String where(String name) {
            return name + ", front matter line " + line;
        }

        /** The entry's value decoded from its YAML style, with offsets into the file's bytes. */
        LabelText text(byte[] b, String name) throws LabelFormatException {
            String where = where(name);
            // Latin-1 keeps one char per byte, so offsets stay byte offsets; the value is ASCII JSON.
            String src = new String(b, 0, end, StandardCharsets.ISO_8859_1);
            int v = valueStart;
            if (v == keyLineEnd) {
                v = skipBlank(src, keyLineEnd, end);
            }
            if (v >= end) {
                throw new LabelFormatException("the AIGC key in " + where + " has no value; "
                        + "it must hold the label JSON, e.g. AIGC: '{\"AIGC\":{\"Label\":\"1\",...}}'");
            }
            char first = src.charAt(v);
            if (first == '\'' || first == '"') {
                int close = v + 1;
                while (true) {
                    if (close >= end) {
                        throw new LabelFormatException("the AIGC value in " + where + " opens a quote (" + first
                                + ") that never closes");
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
                    throw new LabelFormatException("unexpected text after the quoted AIGC value in " + where + ": " + rest);
                }
                return first == '\''
                        ? LabelText.yamlSingleQuoted(src, v + 1, close)
                        : LabelText.yamlDoubleQuoted(src, v + 1, close, where);
            }
            if ((first == '|' || first == '>') && v < keyLineEnd) {
                // Block scalar: the indented lines are the JSON; indentation is JSON white space.
                return LabelText.verbatim(src, Math.min(end, keyLineEnd + 1), end);
            }
            int e = end;
            while (e > v && Character.isWhitespace(src.charAt(e - 1))) {
                e--;
            }
            return LabelText.verbatim(src, v, e);
        }

        private static int skipBlank(String src, int from, int end) {
            int i = from;
            while (i < end && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
            return i;
        }
    }

    /** Where the front matter is; {@code null} from {@link #parse} when the file has none. */
    private record FrontMatter(int bodyStart, int closeLine, byte[] eol, List<Entry> entries) {

        Entry onlyEntry(String name) throws LabelFormatException {
            if (entries.size() > 1) {
                StringBuilder lines = new StringBuilder();
                for (Entry e : entries) {
                    lines.append(lines.isEmpty() ? "" : " and ").append(e.line);
                }
                throw new LabelFormatException(name + " has " + entries.size() + " AIGC keys in its front matter (lines "
                        + lines + "); a file carries one implicit label: delete all but one");
            }
            return entries.isEmpty() ? null : entries.get(0);
        }

        static FrontMatter parse(byte[] b, String name) throws LabelFormatException {
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
            while (at <= b.length) {
                if (at >= b.length) {
                    break;
                }
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
                    int value = keyValueStart(b, at, contentEnd);
                    if (value >= 0) {
                        open = new Entry(at, contentEnd, line, value, contentEnd);
                    }
                }
                at = le + 1;
            }
            throw new LabelFormatException(name + ": unterminated front matter: the '---' on line 1 has no closing "
                    + "'---' line; add one after the metadata, or remove the first line if it is not front matter");
        }

        /** After {@code AIGC:} and its blanks, or -1 when the line is not the top-level AIGC key. */
        private static int keyValueStart(byte[] b, int from, int to) {
            int i = from;
            if (i < to && (b[i] == '"' || b[i] == '\'')) {
                byte q = b[i];
                if (!Bytes.startsWith(b, i + 1, Bytes.ascii("AIGC")) || i + 5 >= to || b[i + 5] != q) {
                    return -1;
                }
                i += 6;
            } else if (Bytes.startsWith(b, i, Bytes.ascii("AIGC"))) {
                i += 4;
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
