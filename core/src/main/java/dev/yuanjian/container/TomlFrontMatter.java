package dev.yuanjian.container;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TOML front matter, as Hugo reads it: the block between a first line {@code +++} (after an
 * optional BOM) and the next line {@code +++}, when it parses as TOML (a TOML document is always a
 * table). A block that does not parse is Markdown content, unless it holds the key twice, which
 * is an error as in every container.
 *
 * <p>The key is a top-level key, and TOML has those before the first table header only, so it is
 * written as {@code KEY = "<value>"} (a basic string, {@code \} and {@code "} escaped) replacing the
 * key's line where it is among the lines before the first header, else as the block's first line,
 * which is top level whatever follows. Read back, a string is decoded by the TOML parser; another
 * value is returned as JSON text.
 */
final class TomlFrontMatter implements FrontMatter {
    private static final TomlMapper TOML = new TomlMapper();
    /** A key of a header: bare, or quoted either way. */
    private static final String KEY = "(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')";
    /** A table or array-of-tables header line; an array value's line ({@code [1, 2],}) is not one. */
    private static final Pattern HEADER = Pattern.compile("\\[\\[?\\s*" + KEY + "(?:\\s*\\.\\s*" + KEY
            + ")*\\s*]]?\\s*(?:#.*)?");

    private final FrontMatter.Fenced block;
    private final JsonNode table;

    private TomlFrontMatter(FrontMatter.Fenced block, JsonNode table) {
        this.block = block;
        this.table = table;
    }

    static TomlFrontMatter find(byte[] b, int start, String name, String key) throws FormatException {
        FrontMatter.Fenced block = FrontMatter.Fenced.find(b, start, '+', '+');
        if (block == null) {
            return null;
        }
        JsonNode table = table(b, block.blockStart(), block.closeLine());
        if (table == null) {
            if (key != null) {
                // Invalid TOML with the key twice: the author meant front matter; say which lines.
                keyLines(b, block.blockStart(), block.closeLine(), key, name);
            }
            return null;
        }
        return new TomlFrontMatter(block, table);
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
        List<int[]> lines = keyLines(b, block.blockStart(), block.closeLine(), key, name);
        JsonNode value = table.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            throw notALine(name, key);
        }
        return Optional.of(value.isTextual() ? value.asText() : value.toString());
    }

    @Override
    public byte[] write(byte[] b, String name, String key, String value) throws FormatException {
        byte[] line = (key + " = \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .getBytes(StandardCharsets.UTF_8);
        List<int[]> lines = keyLines(b, block.blockStart(), block.closeLine(), key, name);
        if (lines.isEmpty() && table.has(key)) {
            throw notALine(name, key);
        }
        byte[] out = lines.isEmpty()
                ? Bytes.splice(b, block.blockStart(), block.blockStart(), Bytes.concat(line, block.eol()))
                : Bytes.splice(b, lines.get(0)[0], lines.get(0)[1], line);
        JsonNode written = table(out, block.blockStart(), block.closeLine() + out.length - b.length);
        JsonNode got = written == null ? null : written.get(key);
        if (got == null || !got.isTextual() || !got.asText().equals(value)) {
            throw new FormatException(name + ": a " + key + " line in the TOML front matter would not be read back "
                    + "as written (its old value spans lines, or a multi-line string holds a line like a table "
                    + "header); write " + key + " = \"...\" on one line before the first [table], then label again");
        }
        return out;
    }

    /** The block as a TOML table, or null when it is not TOML. */
    private static JsonNode table(byte[] b, int from, int to) {
        try {
            // Decoded here: the TOML parser reads characters, and the file's UTF-8 was checked once.
            return TOML.readTree(new String(b, from, to - from, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string in memory", e);
        }
    }

    /**
     * The lines {@code [keyStart, contentEnd)} of top-level {@code key = ...} before the first table
     * header; two of them are an error.
     */
    private static List<int[]> keyLines(byte[] b, int from, int to, String key, String name)
            throws FormatException {
        byte[] k = Bytes.ascii(key);
        List<int[]> found = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        int line = 2;
        for (int at = from; at < to; at = FrontMatter.lineEnd(b, at) + 1, line++) {
            int le = FrontMatter.lineEnd(b, at);
            int contentEnd = le > at && b[le - 1] == '\r' ? le - 1 : le;
            int i = at;
            while (i < contentEnd && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (HEADER.matcher(new String(b, i, contentEnd - i, StandardCharsets.UTF_8)).matches()) {
                break;
            }
            int keyStart = i;
            if (i < contentEnd && (b[i] == '"' || b[i] == '\'')) {
                if (!Bytes.startsWith(b, i + 1, k) || i + 1 + k.length >= contentEnd || b[i + 1 + k.length] != b[i]) {
                    continue;
                }
                i += k.length + 2;
            } else if (Bytes.startsWith(b, i, k)) {
                i += k.length;
            } else {
                continue;
            }
            while (i < contentEnd && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i < contentEnd && b[i] == '=') {
                found.add(new int[] {keyStart, contentEnd});
                lineNumbers.add(line);
            }
        }
        if (found.size() > 1) {
            throw new FormatException(name + " has " + found.size() + " " + key + " keys in its TOML front matter "
                    + "(lines " + lineNumbers + "); a key holds one value: delete all but one");
        }
        return found;
    }

    private static FormatException notALine(String name, String key) {
        return new FormatException(name + ": the TOML front matter holds " + key + " where this tool cannot edit it "
                + "(a dotted key or inline table); write it as " + key + " = \"...\" on a line of its own before "
                + "the first [table]");
    }
}
