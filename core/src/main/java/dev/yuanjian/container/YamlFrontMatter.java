package dev.yuanjian.container;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML front matter: the block between a first line {@code ---} (after an optional BOM) and the
 * next line {@code ---} or {@code ...}, when its text parses as a YAML mapping. An empty block or
 * one of comments only is an empty mapping (Jekyll's {@code ---}/{@code ---} idiom). A block that
 * parses to a scalar or a list, or not at all (tabs for indentation, prose with {@code ": "}), is
 * not front matter. Keys repeated (other than the one read or written) are left as the file's
 * author wrote them, as SnakeYAML and PyYAML read them.
 *
 * <p>Entries are found line by line: a top-level entry starts at column 0 with the key, plain or
 * quoted, then {@code :}; it continues on indented lines. The container writes
 * {@code KEY: '<value>'} (single-quoted, {@code '} doubled) replacing the entry, or as the block's
 * last line. A value is read from that, a double-quoted string (escapes decoded), a block scalar
 * ({@code |} or {@code >}, indentation removed) or a plain value (its raw text, trimmed; e.g. a JSON
 * flow mapping on one line or several).
 */
final class YamlFrontMatter implements FrontMatter {
    /** SnakeYAML's defaults cap a document at 3 MB and 50 levels; the file's own size limit applies instead. */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build());

    private final FrontMatter.Fenced block;
    private final JsonNode mapping;

    private YamlFrontMatter(FrontMatter.Fenced block, JsonNode mapping) {
        this.block = block;
        this.mapping = mapping;
    }

    static YamlFrontMatter find(byte[] b, int start, String name, String key) throws FormatException {
        FrontMatter.Fenced block = FrontMatter.Fenced.find(b, start, '-', '.');
        if (block == null) {
            return null;
        }
        JsonNode mapping = mapping(b, block.blockStart(), block.closeLine(), name);
        YamlFrontMatter fm = new YamlFrontMatter(block, mapping == null ? YAML.createObjectNode() : mapping);
        if (mapping == null && key != null) {
            // Not YAML, yet a line of it is the key: the author meant front matter and broke it.
            Entry entry = fm.onlyEntry(b, name, key);
            if (entry != null) {
                entry.value(b, name, key);
                throw new FormatException(name + ": the block between the '---' lines holds " + key + " (line "
                        + entry.line + ") but is not valid YAML; fix the YAML, or remove the " + key
                        + " line if the block is not front matter");
            }
        }
        return mapping == null ? null : fm;
    }

    @Override
    public int bodyStart() {
        return block.bodyStart();
    }

    @Override
    public byte[] eol() {
        return block.eol();
    }

    @Override
    public Optional<String> read(byte[] b, String name, String key) throws FormatException {
        Entry entry = onlyEntry(b, name, key);
        return entry == null ? Optional.empty() : Optional.of(entry.value(b, name, key));
    }

    @Override
    public byte[] write(byte[] b, String name, String key, String value) throws FormatException {
        byte[] line = (key + ": '" + value.replace("'", "''") + "'").getBytes(StandardCharsets.UTF_8);
        Entry entry = onlyEntry(b, name, key);
        byte[] out = entry != null
                ? Bytes.splice(b, entry.start, entry.end, line)
                : Bytes.splice(b, block.closeLine(), block.closeLine(), Bytes.concat(line, block.eol()));
        int newClose = block.closeLine() + out.length - b.length;
        JsonNode written = mapping(out, block.blockStart(), newClose, name);
        JsonNode got = written == null ? null : written.get(key);
        if (got == null || !got.isTextual() || !got.asText().equals(value)) {
            throw new FormatException(name + ": a " + key + " entry added to the YAML front matter (line "
                    + lineOf(b, entry != null ? entry.start : block.closeLine()) + ") would not be read back as written; "
                    + "the front matter is laid out in a way this tool does not edit (a flow mapping {...}, an "
                    + "indented mapping, a multi-line quoted value). Rewrite it as key: value lines starting "
                    + "at column 0, then label the file again");
        }
        return out;
    }

    /** The one entry of {@code key}, or null; an error when there are two, or one we cannot see. */
    private Entry onlyEntry(byte[] b, String name, String key) throws FormatException {
        List<Entry> entries = entries(b, key);
        if (entries.size() > 1) {
            StringBuilder lines = new StringBuilder();
            for (Entry e : entries) {
                lines.append(lines.isEmpty() ? "" : " and ").append(e.line);
            }
            throw new FormatException(name + " has " + entries.size() + " " + key + " keys in its front matter "
                    + "(lines " + lines + "); a key holds one value: delete all but one");
        }
        if (entries.isEmpty() && mapping.has(key)) {
            throw new FormatException(name + ": the front matter holds " + key + " where this tool cannot edit it "
                    + "(not a key: value line at column 0); rewrite that entry as " + key + ": '...' on a line of "
                    + "its own");
        }
        return entries.isEmpty() ? null : entries.get(0);
    }

    private List<Entry> entries(byte[] b, String key) {
        byte[] k = Bytes.ascii(key);
        List<Entry> entries = new ArrayList<>();
        int line = lineOf(b, block.blockStart());
        Entry open = null;
        for (int at = block.blockStart(); at < block.closeLine(); line++) {
            int le = FrontMatter.lineEnd(b, at);
            int contentEnd = le > at && b[le - 1] == '\r' ? le - 1 : le;
            boolean indented = at < le && (b[at] == ' ' || b[at] == '\t');
            if (open != null && indented) {
                open = new Entry(open.start, contentEnd, open.line, open.valueStart, open.keyLineEnd);
            } else {
                if (open != null) {
                    entries.add(open);
                    open = null;
                }
                int value = keyValueStart(b, at, contentEnd, k);
                if (value >= 0) {
                    open = new Entry(at, contentEnd, line, value, contentEnd);
                }
            }
            at = le + 1;
        }
        if (open != null) {
            entries.add(open);
        }
        return entries;
    }

    /**
     * The block {@code [from, to)} as a mapping (an empty one for an empty or comment-only block),
     * or null when it is YAML of another shape or not YAML at all.
     */
    private static JsonNode mapping(byte[] b, int from, int to, String name) throws FormatException {
        if (from >= to) {
            return YAML.createObjectNode();
        }
        JsonNode node;
        try {
            node = YAML.readTree(b, from, to - from);
        } catch (StreamConstraintsException e) {
            throw new FormatException(name + ": the YAML front matter is beyond what this tool reads ("
                    + e.getOriginalMessage() + "); simplify it", e);
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory", e);
        }
        if (node == null || node.isMissingNode()) {
            return YAML.createObjectNode();
        }
        return node.isObject() ? node : null;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        options.setNestingDepthLimit(1000);
        return options;
    }

    private static int lineOf(byte[] b, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < b.length; i++) {
            if (b[i] == '\n') {
                line++;
            }
        }
        return line;
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

    /**
     * One top-level entry of the key: its key line and any indented continuation lines,
     * {@code [start, end)} without the final line break; {@code line} is 1-based in the file.
     */
    private record Entry(int start, int end, int line, int valueStart, int keyLineEnd) {

        /** The entry's value decoded from its YAML style. */
        String value(byte[] b, String name, String key) throws FormatException {
            String where = name + ", front matter line " + line;
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
}
