package dev.yuanjian.container;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON front matter, as Hugo reads it: a JSON object that starts the file (after an optional BOM)
 * and ends its line, the body starting on the next line. A leading {@code {} that does not open a
 * well-formed object ending its line is Markdown content.
 *
 * <p>The key is written as the member {@code "KEY": "<value>"} (JSON escapes), replacing the
 * member where it is, else as the object's first member in the layout of the one it precedes.
 * Read back, a string is decoded; another value is returned as JSON text.
 */
final class JsonFrontMatter implements FrontMatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Offsets in the file: the object's {@code {}, its first member, the member of the key (or -1). */
    private final int open;
    private final int firstMember;
    private final List<int[]> members;
    private final String value;
    private final int bodyStart;
    private final byte[] eol;

    private JsonFrontMatter(int open, int firstMember, List<int[]> members, String value, int bodyStart, byte[] eol) {
        this.open = open;
        this.firstMember = firstMember;
        this.members = members;
        this.value = value;
        this.bodyStart = bodyStart;
        this.eol = eol;
    }

    static JsonFrontMatter find(byte[] b, int start, String name, String key) throws FormatException {
        int firstMember = -1;
        List<int[]> members = new ArrayList<>();
        String value = null;
        int end;
        try (JsonParser p = JSON.createParser(b, start, b.length - start)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            // Offsets are counted from where the parser started in some Jackson versions, from the
            // array's start in others: anchor them to the '{' at start.
            long shift = start - p.currentTokenLocation().getByteOffset();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int memberStart = (int) (p.currentTokenLocation().getByteOffset() + shift);
                if (firstMember < 0) {
                    firstMember = memberStart;
                }
                boolean ours = p.currentName().equals(key);
                p.nextToken();
                if (ours) {
                    value = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : JSON.readTree(p).toString();
                } else {
                    p.skipChildren();
                }
                if (ours) {
                    members.add(new int[] {memberStart, (int) (p.currentLocation().getByteOffset() + shift)});
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            end = (int) (p.currentLocation().getByteOffset() + shift);
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory", e);
        }
        int le = FrontMatter.lineEnd(b, end);
        for (int i = end; i < le; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return null;
            }
        }
        if (members.size() > 1) {
            throw new FormatException(name + " has " + members.size() + " \"" + key + "\" members in its JSON front "
                    + "matter; a key holds one value: delete all but one");
        }
        return new JsonFrontMatter(start, firstMember, members, value, Math.min(le + 1, b.length),
                Bytes.lineEnding(b, start));
    }

    @Override
    public int bodyStart() {
        return bodyStart;
    }

    @Override
    public byte[] eol() {
        return eol.clone();
    }

    @Override
    public Optional<String> read(byte[] b, String name, String key) {
        return Optional.ofNullable(value);
    }

    @Override
    public byte[] write(byte[] b, String name, String key, String newValue) throws FormatException {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        String member = "\"" + new String(enc.quoteAsString(key)) + "\": \"" + new String(enc.quoteAsString(newValue)) + "\"";
        byte[] m = member.getBytes(StandardCharsets.UTF_8);
        byte[] out;
        if (!members.isEmpty()) {
            out = Bytes.splice(b, members.get(0)[0], members.get(0)[1], m);
        } else if (firstMember < 0) {
            out = Bytes.splice(b, open + 1, open + 1, m);
        } else {
            // Before the first member, followed by the same blanks that precede it: "{\n  A,\n  B".
            byte[] gap = java.util.Arrays.copyOfRange(b, open + 1, firstMember);
            out = Bytes.splice(b, firstMember, firstMember, Bytes.concat(m, new byte[] {','}, gap));
        }
        JsonFrontMatter written = find(out, open, name, key);
        if (written == null || !newValue.equals(written.value)) {
            throw new IllegalStateException("a JSON member written into front matter did not read back: " + name);
        }
        return out;
    }
}
