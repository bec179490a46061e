package dev.yuanjian.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tags of an XML part with their character offsets, so that a container can splice text into the
 * part and keep every other character. Not a general parser: it checks that tags nest and refuses
 * DTDs (no entity expansion, no external fetches), which is what OOXML parts need.
 */
final class XmlScan {
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=/>]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

    private XmlScan() {
    }

    /** A start, end or empty-element tag spanning {@code [start, end)}; {@code depth} 0 is the root. */
    record Tag(int start, int end, String qname, Kind kind, int depth, String raw) {
        enum Kind { START, END, EMPTY }

        String localName() {
            int colon = qname.indexOf(':');
            return colon < 0 ? qname : qname.substring(colon + 1);
        }

        /** The prefix with its colon ("w:"), or "" for an unprefixed name. */
        String prefix() {
            int colon = qname.indexOf(':');
            return colon < 0 ? "" : qname.substring(0, colon + 1);
        }

        Optional<String> attribute(String name) {
            Matcher m = ATTRIBUTE.matcher(raw);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    String v = m.group(2) != null ? m.group(2) : m.group(3);
                    return Optional.of(unescapeAttribute(v));
                }
            }
            return Optional.empty();
        }

        /** The prefix ("vt:") this tag binds to {@code uri}, "" for a default namespace, or empty. */
        Optional<String> prefixFor(String uri) {
            Matcher m = ATTRIBUTE.matcher(raw);
            while (m.find()) {
                String v = m.group(2) != null ? m.group(2) : m.group(3);
                if (!uri.equals(unescapeAttribute(v))) {
                    continue;
                }
                if (m.group(1).equals("xmlns")) {
                    return Optional.of("");
                }
                if (m.group(1).startsWith("xmlns:")) {
                    return Optional.of(m.group(1).substring(6) + ":");
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Every tag of {@code xml} in document order.
     *
     * @throws FormatException when tags do not nest, a construct is unterminated or a DTD is present
     */
    static List<Tag> tags(String xml, String where) throws FormatException {
        List<Tag> tags = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        int n = xml.length();
        boolean sawRoot = false;
        while (true) {
            int lt = xml.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (xml.startsWith("<!--", lt)) {
                i = after(xml, "-->", lt + 4, where, "comment");
            } else if (xml.startsWith("<![CDATA[", lt)) {
                i = after(xml, "]]>", lt + 9, where, "CDATA section");
            } else if (xml.startsWith("<?", lt)) {
                i = after(xml, "?>", lt + 2, where, "processing instruction");
            } else if (xml.startsWith("<!", lt)) {
                throw new FormatException(where + " contains a DTD or declaration at offset " + lt
                        + "; OOXML parts never do, so the file is refused rather than parsed");
            } else {
                int gt = tagEnd(xml, lt, where);
                boolean closing = xml.charAt(lt + 1) == '/';
                boolean empty = !closing && xml.charAt(gt - 1) == '/';
                int nameStart = lt + (closing ? 2 : 1);
                int nameEnd = nameStart;
                while (nameEnd < gt && !Character.isWhitespace(xml.charAt(nameEnd)) && xml.charAt(nameEnd) != '/'
                        && xml.charAt(nameEnd) != '>') {
                    nameEnd++;
                }
                String qname = xml.substring(nameStart, nameEnd);
                if (qname.isEmpty()) {
                    throw new FormatException(where + " is not well-formed XML: a tag without a name at offset " + lt);
                }
                String raw = xml.substring(nameEnd, closing ? nameEnd : (empty ? gt - 1 : gt));
                if (closing) {
                    String expected = open.poll();
                    if (!qname.equals(expected)) {
                        throw new FormatException(where + " is not well-formed XML: </" + qname + "> at offset " + lt
                                + (expected == null ? " closes nothing" : " closes <" + expected + ">"));
                    }
                    tags.add(new Tag(lt, gt + 1, qname, Tag.Kind.END, open.size(), ""));
                } else {
                    if (open.isEmpty() && sawRoot) {
                        throw new FormatException(where + " is not well-formed XML: a second root element <" + qname
                                + "> at offset " + lt);
                    }
                    sawRoot = true;
                    tags.add(new Tag(lt, gt + 1, qname, empty ? Tag.Kind.EMPTY : Tag.Kind.START, open.size(), raw));
                    if (!empty) {
                        open.push(qname);
                    }
                }
                i = gt + 1;
            }
        }
        if (!open.isEmpty()) {
            throw new FormatException(where + " is not well-formed XML: <" + open.peek() + "> is never closed "
                    + "(the part may be truncated)");
        }
        if (!sawRoot) {
            throw new FormatException(where + " is not XML: it has no root element");
        }
        return tags;
    }

    /** The index in {@code tags} of the end tag matching the start tag at {@code startIndex}. */
    static int matchingEnd(List<Tag> tags, int startIndex) {
        Tag start = tags.get(startIndex);
        if (start.kind() == Tag.Kind.EMPTY) {
            return startIndex;
        }
        for (int k = startIndex + 1; k < tags.size(); k++) {
            Tag t = tags.get(k);
            if (t.kind() == Tag.Kind.END && t.depth() == start.depth()) {
                return k;
            }
        }
        throw new IllegalStateException("tags() guarantees nesting");
    }

    static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String escapeAttribute(String s) {
        return escapeText(s).replace("\"", "&quot;");
    }

    private static String unescapeAttribute(String v) {
        if (v.indexOf('&') < 0) {
            return v;
        }
        return v.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static int after(String xml, String end, int from, String where, String what) throws FormatException {
        int at = xml.indexOf(end, from);
        if (at < 0) {
            throw new FormatException(where + " is not well-formed XML: unterminated " + what + " (the part may be truncated)");
        }
        return at + end.length();
    }

    private static int tagEnd(String xml, int lt, String where) throws FormatException {
        char quote = 0;
        for (int k = lt + 1; k < xml.length(); k++) {
            char c = xml.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return k;
            } else if (c == '<') {
                break;
            }
        }
        throw new FormatException(where + " is not well-formed XML: the tag at offset " + lt + " is not closed");
    }
}
