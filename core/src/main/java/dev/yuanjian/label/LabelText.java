package dev.yuanjian.label;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The label's JSON as one format stores it (inside YAML quotes, XML text, a PDF string), decoded,
 * with the source offset of every decoded character. The protected digests cut the
 * {@code ReservedCode1} value out of the file at its <em>stored</em> offsets, so the decoding must
 * remember where each character came from; one locator then serves every format.
 *
 * <p>Offsets are in the units of the source the codec scanned: bytes for Markdown and PDF (read as
 * ISO-8859-1, one char per byte), chars for DOCX XML parts.
 */
final class LabelText {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The decoded JSON. */
    final String json;
    /** {@code source[i]} is where decoded char {@code i} starts; {@code source[json.length()]} is the end. */
    private final int[] source;

    private LabelText(String json, int[] source) {
        this.json = json;
        this.source = source;
    }

    /** A range of source offsets, {@code [start, end)}. */
    record Span(int start, int end) {
    }

    /** Text stored as is: decoded char i is source char {@code start + i}. */
    static LabelText verbatim(CharSequence src, int start, int end) {
        int[] map = new int[end - start + 1];
        for (int i = 0; i < map.length; i++) {
            map[i] = start + i;
        }
        return new LabelText(src.subSequence(start, end).toString(), map);
    }

    /** YAML single-quoted scalar content (between the quotes): {@code ''} stands for {@code '}. */
    static LabelText yamlSingleQuoted(CharSequence src, int start, int end) {
        Builder b = new Builder(end - start);
        int i = start;
        while (i < end) {
            char c = src.charAt(i);
            b.add(c, i);
            i += (c == '\'' && i + 1 < end && src.charAt(i + 1) == '\'') ? 2 : 1;
        }
        return b.build(end);
    }

    /** YAML double-quoted scalar content (between the quotes), with YAML's backslash escapes. */
    static LabelText yamlDoubleQuoted(CharSequence src, int start, int end, String where) throws LabelFormatException {
        Builder b = new Builder(end - start);
        int i = start;
        while (i < end) {
            char c = src.charAt(i);
            if (c != '\\') {
                b.add(c, i);
                i++;
                continue;
            }
            if (i + 1 >= end) {
                throw new LabelFormatException(where + ": the AIGC value ends in a lone backslash");
            }
            char e = src.charAt(i + 1);
            int hex = switch (e) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            };
            if (hex > 0) {
                if (i + 2 + hex > end) {
                    throw new LabelFormatException(where + ": truncated \\" + e + " escape in the AIGC value");
                }
                int cp;
                try {
                    cp = Integer.parseInt(src.subSequence(i + 2, i + 2 + hex).toString(), 16);
                } catch (NumberFormatException ex) {
                    throw new LabelFormatException(where + ": bad \\" + e + " escape in the AIGC value");
                }
                for (char ch : Character.toChars(cp)) {
                    b.add(ch, i);
                }
                i += 2 + hex;
                continue;
            }
            char decoded = switch (e) {
                case '"', '\\', '/', ' ' -> e;
                case 'n' -> '\n';
                case 't', '\t' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case '0' -> '\0';
                default -> throw new LabelFormatException(where + ": unknown escape \\" + e + " in the AIGC value");
            };
            b.add(decoded, i);
            i += 2;
        }
        return b.build(end);
    }

    /** XML character data: the five predefined entities, numeric references and CDATA sections. */
    static LabelText xmlText(CharSequence src, int start, int end, String where) throws LabelFormatException {
        Builder b = new Builder(end - start);
        int i = start;
        while (i < end) {
            char c = src.charAt(i);
            if (c == '<') {
                if (startsWith(src, i, end, "<![CDATA[")) {
                    int close = indexOf(src, "]]>", i + 9, end);
                    if (close < 0) {
                        throw new LabelFormatException(where + ": unterminated CDATA section");
                    }
                    for (int k = i + 9; k < close; k++) {
                        b.add(src.charAt(k), k);
                    }
                    i = close + 3;
                    continue;
                }
                if (startsWith(src, i, end, "<!--")) {
                    int close = indexOf(src, "-->", i + 4, end);
                    if (close < 0) {
                        throw new LabelFormatException(where + ": unterminated comment");
                    }
                    i = close + 3;
                    continue;
                }
                throw new LabelFormatException(where + ": the AIGC value must be text, found markup");
            }
            if (c != '&') {
                b.add(c, i);
                i++;
                continue;
            }
            int semi = indexOf(src, ";", i + 1, Math.min(end, i + 12));
            if (semi < 0) {
                throw new LabelFormatException(where + ": stray '&' in the AIGC value; write it as &amp;");
            }
            String name = src.subSequence(i + 1, semi).toString();
            int cp;
            switch (name) {
                case "quot" -> cp = '"';
                case "amp" -> cp = '&';
                case "lt" -> cp = '<';
                case "gt" -> cp = '>';
                case "apos" -> cp = '\'';
                default -> {
                    try {
                        if (name.startsWith("#x") || name.startsWith("#X")) {
                            cp = Integer.parseInt(name.substring(2), 16);
                        } else if (name.startsWith("#")) {
                            cp = Integer.parseInt(name.substring(1));
                        } else {
                            throw new LabelFormatException(where + ": unknown entity &" + name + "; in the AIGC value");
                        }
                    } catch (NumberFormatException ex) {
                        throw new LabelFormatException(where + ": bad character reference &" + name + ";");
                    }
                }
            }
            for (char ch : Character.toChars(cp)) {
                b.add(ch, i);
            }
            i = semi + 1;
        }
        return b.build(end);
    }

    /** PDF literal string content (between the outer parentheses), with PDF's escapes. */
    static LabelText pdfLiteral(CharSequence src, int start, int end) {
        Builder b = new Builder(end - start);
        int i = start;
        while (i < end) {
            char c = src.charAt(i);
            if (c == '\r') {
                // An unescaped end of line in a literal string reads as one LF, whatever its form.
                b.add('\n', i);
                i += (i + 1 < end && src.charAt(i + 1) == '\n') ? 2 : 1;
                continue;
            }
            if (c != '\\' || i + 1 >= end) {
                b.add(c, i);
                i++;
                continue;
            }
            char e = src.charAt(i + 1);
            if (e >= '0' && e <= '7') {
                int k = i + 1;
                int v = 0;
                while (k < end && k < i + 4 && src.charAt(k) >= '0' && src.charAt(k) <= '7') {
                    v = v * 8 + (src.charAt(k) - '0');
                    k++;
                }
                b.add((char) (v & 0xff), i);
                i = k;
                continue;
            }
            if (e == '\r' || e == '\n') {
                // A backslash before an end of line joins the lines: nothing is decoded.
                i += (e == '\r' && i + 2 < end && src.charAt(i + 2) == '\n') ? 3 : 2;
                continue;
            }
            char decoded = switch (e) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e; // \( \) \\ and, per the spec, any other char stands for itself
            };
            b.add(decoded, i);
            i += 2;
        }
        return b.build(end);
    }

    /** PDF hexadecimal string content (between {@code <} and {@code >}); white space is skipped. */
    static LabelText pdfHex(CharSequence src, int start, int end) {
        Builder b = new Builder((end - start) / 2);
        int hi = -1;
        int hiAt = -1;
        for (int i = start; i < end; i++) {
            int d = Character.digit(src.charAt(i), 16);
            if (d < 0) {
                continue;
            }
            if (hi < 0) {
                hi = d;
                hiAt = i;
            } else {
                b.add((char) (hi * 16 + d), hiAt);
                hi = -1;
            }
        }
        if (hi >= 0) {
            b.add((char) (hi * 16), hiAt);
        }
        return b.build(end);
    }

    /**
     * Where the {@code ReservedCode1} value sits in the source: the characters between its JSON
     * quotes (or the token itself for a bare number), at the level {@link AigcLabel#parse} reads
     * (inside {@code AIGC} when the root has that key, else at the root). Empty when the JSON has no
     * such field. Duplicate keys are refused: the reader and the digest must agree on one value.
     */
    Optional<Span> reservedCode1(String where) throws LabelFormatException {
        int rootHit = -1;
        int wrappedHit = -1;
        boolean rootHasAigc = false;
        boolean aigcIsText = false;
        try (JsonParser p = STRICT.createParser(json)) {
            int depth = 0;
            String[] path = new String[4];
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        if (depth < path.length) {
                            path[depth] = name;
                        }
                        if (depth == 1 && name.equals("AIGC")) {
                            rootHasAigc = true;
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                depth++;
                            } else if (v == JsonToken.VALUE_STRING) {
                                aigcIsText = true;
                            }
                        } else if (name.equals("ReservedCode1") && (depth == 1
                                || (depth == 2 && "AIGC".equals(path[1])))) {
                            JsonToken v = p.nextToken();
                            int at = (int) p.currentTokenLocation().getCharOffset();
                            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                depth++;
                            } else if (depth == 1) {
                                rootHit = at;
                            } else {
                                wrappedHit = at;
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new LabelFormatException("the AIGC label in " + where + " is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (aigcIsText) {
            throw new LabelFormatException("the AIGC label in " + where + " holds its fields as an escaped JSON "
                    + "string, so ReservedCode1 cannot be cut out for the digest; write the label again to store "
                    + "it as a JSON object");
        }
        int hit = rootHasAigc ? wrappedHit : rootHit;
        if (hit < 0) {
            return Optional.empty();
        }
        int s;
        int e;
        if (json.charAt(hit) == '"') {
            s = hit + 1;
            e = s;
            while (json.charAt(e) != '"') {
                e += json.charAt(e) == '\\' ? 2 : 1;
            }
        } else {
            s = hit;
            e = hit;
            while (e < json.length() && ",}] \t\r\n".indexOf(json.charAt(e)) < 0) {
                e++;
            }
        }
        return Optional.of(new Span(source[s], source[e]));
    }

    private static boolean startsWith(CharSequence src, int at, int end, String prefix) {
        if (at + prefix.length() > end) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (src.charAt(at + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence src, String needle, int from, int end) {
        for (int i = from; i + needle.length() <= end; i++) {
            if (startsWith(src, i, end, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static final class Builder {
        private final StringBuilder chars;
        private int[] source;

        Builder(int capacity) {
            chars = new StringBuilder(Math.max(capacity, 16));
            source = new int[Math.max(capacity, 16) + 1];
        }

        void add(char c, int at) {
            if (chars.length() + 1 >= source.length) {
                source = Arrays.copyOf(source, source.length * 2);
            }
            source[chars.length()] = at;
            chars.append(c);
        }

        LabelText build(int end) {
            source[chars.length()] = end;
            return new LabelText(chars.toString(), Arrays.copyOf(source, chars.length() + 1));
        }
    }
}
