package dev.yuanjian.container;

/**
 * XML character data for {@link Xmp}: escaping a value as element text and decoding element text
 * back (the predefined entities, numeric character references, CDATA sections, comments).
 */
final class XmpText {
    private XmpText() {
    }

    /**
     * {@code value} as XML element text. {@code &}, {@code <} and {@code >} become entities (so a
     * value can never close its element or a CDATA section); CR becomes {@code &#13;} because an
     * XML parser turns a literal CR into LF.
     *
     * @throws FormatException when {@code value} holds a character XML 1.0 cannot carry at all
     *                         (C0 controls other than tab and LF, unpaired surrogates, U+FFFE/U+FFFF)
     */
    static String escape(String value, String where) throws FormatException {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n') || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        throw new FormatException(where + ": the value holds U+" + String.format("%04X", (int) c)
                                + " at index " + i + ", which XML cannot carry; escape it in the value itself "
                                + "(JSON writes it as \\u" + String.format("%04x", (int) c) + ")");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The text of {@code xml[start, end)} as an XML parser reports it: entities and character
     * references decoded, CDATA taken literally, comments skipped, line breaks normalised to LF.
     *
     * @throws FormatException on markup (the property is not simple text), a stray {@code &}, an
     *                         unknown entity or a reference to no valid character
     */
    static String unescape(String xml, int start, int end, String where) throws FormatException {
        StringBuilder out = new StringBuilder(end - start);
        int i = start;
        while (i < end) {
            char c = xml.charAt(i);
            if (c == '<') {
                if (xml.startsWith("<![CDATA[", i)) {
                    int close = xml.indexOf("]]>", i + 9);
                    if (close < 0 || close + 3 > end) {
                        throw new FormatException(where + ": unterminated CDATA section at character " + i);
                    }
                    out.append(xml, i + 9, close);
                    i = close + 3;
                } else if (xml.startsWith("<!--", i)) {
                    int close = xml.indexOf("-->", i + 4);
                    if (close < 0 || close + 3 > end) {
                        throw new FormatException(where + ": unterminated comment at character " + i);
                    }
                    i = close + 3;
                } else {
                    throw new FormatException(where + ": the property holds markup at character " + i
                            + ", not simple text; write the value again to store it as text");
                }
            } else if (c == '&') {
                int semi = xml.indexOf(';', i + 1);
                if (semi < 0 || semi >= end || semi > i + 12) {
                    throw new FormatException(where + ": stray '&' at character " + i + "; XML writes it as &amp;");
                }
                out.appendCodePoint(entity(xml.substring(i + 1, semi), where));
                i = semi + 1;
            } else if (c == '\r') {
                out.append('\n');
                i += i + 1 < end && xml.charAt(i + 1) == '\n' ? 2 : 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int entity(String name, String where) throws FormatException {
        switch (name) {
            case "quot":
                return '"';
            case "amp":
                return '&';
            case "lt":
                return '<';
            case "gt":
                return '>';
            case "apos":
                return '\'';
            default:
                break;
        }
        int cp = -1;
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                cp = Integer.parseInt(name.substring(2), 16);
            } else if (name.startsWith("#")) {
                cp = Integer.parseInt(name.substring(1));
            } else {
                throw new FormatException(where + ": unknown entity &" + name + "; (XMP text knows only "
                        + "&amp; &lt; &gt; &quot; &apos; and character references)");
            }
        } catch (NumberFormatException e) {
            // cp stays -1: reported below with the other invalid references
        }
        if (cp < 0 || !Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new FormatException(where + ": bad character reference &" + name + ";");
        }
        return cp;
    }
}
