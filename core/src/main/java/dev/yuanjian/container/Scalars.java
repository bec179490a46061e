package dev.yuanjian.container;

/**
 * Decoders for a stored value's escaping: YAML quoted scalars (Markdown front matter) and XML
 * character data (DOCX properties). Each takes the text between the delimiters and returns the
 * value it stands for; {@code where} names the place for error messages.
 */
final class Scalars {
    private Scalars() {
    }

    /** YAML single-quoted scalar content (between the quotes): {@code ''} stands for {@code '}. */
    static String yamlSingleQuoted(String content) {
        return content.replace("''", "'");
    }

    /** YAML double-quoted scalar content (between the quotes), with YAML's backslash escapes. */
    static String yamlDoubleQuoted(String src, String where) throws FormatException {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int end = src.length();
        while (i < end) {
            char c = src.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= end) {
                throw new FormatException(where + ": the value ends in a lone backslash; escape it as \\\\");
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
                    throw new FormatException(where + ": truncated \\" + e + " escape in the value");
                }
                int cp;
                try {
                    cp = Integer.parseInt(src.substring(i + 2, i + 2 + hex), 16);
                    out.appendCodePoint(cp);
                } catch (IllegalArgumentException ex) {
                    throw new FormatException(where + ": bad \\" + e + " escape in the value", ex);
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
                default -> throw new FormatException(where + ": unknown escape \\" + e + " in the value");
            };
            out.append(decoded);
            i += 2;
        }
        return out.toString();
    }

    /** XML character data: the five predefined entities, numeric references and CDATA sections. */
    static String xmlText(String src, int start, int end, String where) throws FormatException {
        StringBuilder out = new StringBuilder(end - start);
        int i = start;
        while (i < end) {
            char c = src.charAt(i);
            if (c == '<') {
                if (src.startsWith("<![CDATA[", i)) {
                    int close = src.indexOf("]]>", i + 9);
                    if (close < 0 || close + 3 > end) {
                        throw new FormatException(where + ": unterminated CDATA section");
                    }
                    out.append(src, i + 9, close);
                    i = close + 3;
                    continue;
                }
                if (src.startsWith("<!--", i)) {
                    int close = src.indexOf("-->", i + 4);
                    if (close < 0 || close + 3 > end) {
                        throw new FormatException(where + ": unterminated comment");
                    }
                    i = close + 3;
                    continue;
                }
                throw new FormatException(where + ": the value must be text, found markup at offset " + i);
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int semi = src.indexOf(';', i + 1);
            if (semi < 0 || semi >= Math.min(end, i + 12)) {
                throw new FormatException(where + ": stray '&' in the value at offset " + i + "; write it as &amp;");
            }
            String name = src.substring(i + 1, semi);
            switch (name) {
                case "quot" -> out.append('"');
                case "amp" -> out.append('&');
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "apos" -> out.append('\'');
                default -> {
                    try {
                        if (name.startsWith("#x") || name.startsWith("#X")) {
                            out.appendCodePoint(Integer.parseInt(name.substring(2), 16));
                        } else if (name.startsWith("#")) {
                            out.appendCodePoint(Integer.parseInt(name.substring(1)));
                        } else {
                            throw new FormatException(where + ": unknown entity &" + name + "; in the value");
                        }
                    } catch (IllegalArgumentException ex) {
                        throw new FormatException(where + ": bad character reference &" + name + ";", ex);
                    }
                }
            }
            i = semi + 1;
        }
        return out.toString();
    }
}
