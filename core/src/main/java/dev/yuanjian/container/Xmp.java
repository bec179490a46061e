package dev.yuanjian.container;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and sets one simple XMP property, {@code prefix:name} in a namespace ({@link MetadataKey}),
 * as element text in an XMP packet; the image containers ({@link PngContainer}, {@link JpegContainer})
 * keep the packet, this class edits it as text so every other character of it is kept.
 *
 * <p>Encoding: XMP packets are UTF-8, UTF-16 or UTF-32. The packet is decoded by its byte order
 * mark, else by the pattern of NUL bytes around its first character ({@code <}), else as UTF-8,
 * strictly (a byte that is not valid in that encoding is an error, not a replacement character).
 * An edited packet is written back in the encoding it came in, with its BOM if it had one, so a
 * UTF-16 packet stays UTF-16 and its {@code <?xml encoding?>} declaration stays true.
 *
 * <p>Reading: the property is the element {@code <prefix:name>text</prefix:name>} (its start tag
 * may declare namespaces, nothing else) under the key's prefix or any other prefix the packet
 * binds to the key's namespace. Two such elements, the
 * property stored as an attribute, an empty element or an element with attributes or child
 * markup raise {@link FormatException}: a reader must not pick one of two values.
 *
 * <p>Setting:
 * <ul>
 *   <li>no packet: a new UTF-8 packet holding only our block;</li>
 *   <li>the element is present (in any {@code rdf:Description}, under any prefix bound to the
 *       namespace): its text is replaced in place;</li>
 *   <li>else, when the packet has our block, an {@code rdf:Description} whose start tag begins
 *       {@value #OUR_BLOCK_START}: the element is appended to it and its namespace declared on it;</li>
 *   <li>else, when the packet has exactly one {@code </rdf:RDF>}: our block is inserted before it,
 *       the other properties kept;</li>
 *   <li>anything else (a packet that does not decode, the property stored in a form we cannot
 *       edit as text, two values): the whole packet is replaced by a new one holding only our
 *       block, so another tool's properties in it are lost. Never two values.</li>
 * </ul>
 * Where a value goes depends only on the packet without that value, never on the old value, so
 * setting a key twice gives the same bytes whatever the first value was.
 */
final class Xmp {
    /** The start of our own {@code rdf:Description}: the marker namespace says we made it. */
    static final String OUR_BLOCK_START = "<rdf:Description rdf:about=\"\" xmlns:yuanjian=\"https://yuanjian.dev/ns/1.0/\"";
    private static final String DESCRIPTION_START = "<rdf:Description";
    private static final String DESCRIPTION_END = "</rdf:Description>";
    private static final String RDF_END = "</rdf:RDF>";
    private static final Pattern XMLNS_ANY = Pattern.compile("xmlns(?::[A-Za-z_][\\w.-]*)?\\s*=\\s*(?:\"[^\"]*\"|'[^']*')");
    private static final Pattern XMLNS = Pattern.compile("xmlns:([A-Za-z_][\\w.-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

    private Xmp() {
    }

    /** A decoded packet and how to encode an edited copy the same way. */
    record Packet(String text, Charset charset, byte[] bom) {
        byte[] encode(String edited) {
            return Bytes.concat(bom, edited.getBytes(charset));
        }
    }

    /** An element holding the property: {@code [start, end)} is the whole element, the text between. */
    private record Element(String qname, int start, int textStart, int textEnd, int end) {
    }

    /**
     * The packet's text, decoded by its encoding (see the class comment).
     *
     * @throws FormatException when the bytes are not valid in the encoding they announce
     */
    static Packet decode(byte[] b, String where) throws FormatException {
        Packet shape = encodingOf(b);
        try {
            String text = shape.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, shape.bom().length, b.length - shape.bom().length))
                    .toString();
            return new Packet(text, shape.charset(), shape.bom());
        } catch (CharacterCodingException e) {
            throw new FormatException(where + ": the XMP packet is not valid " + shape.charset().name()
                    + "; save the image's metadata again with an XMP-aware tool", e);
        }
    }

    private static Packet encodingOf(byte[] b) {
        if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
            return new Packet("", Charset.forName("UTF-32BE"), new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF});
        }
        if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
            return new Packet("", Charset.forName("UTF-32LE"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
        }
        if (startsWith(b, 0xFE, 0xFF)) {
            return new Packet("", StandardCharsets.UTF_16BE, new byte[] {(byte) 0xFE, (byte) 0xFF});
        }
        if (startsWith(b, 0xFF, 0xFE)) {
            return new Packet("", StandardCharsets.UTF_16LE, new byte[] {(byte) 0xFF, (byte) 0xFE});
        }
        if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
            return new Packet("", StandardCharsets.UTF_8, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        // No BOM: the first character is ASCII ('<' or whitespace), so its NUL bytes give the encoding away.
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
            return new Packet("", Charset.forName("UTF-32BE"), new byte[0]);
        }
        if (b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return new Packet("", Charset.forName("UTF-32LE"), new byte[0]);
        }
        if (b.length >= 2 && b[0] == 0 && b[1] != 0) {
            return new Packet("", StandardCharsets.UTF_16BE, new byte[0]);
        }
        if (b.length >= 2 && b[0] != 0 && b[1] == 0) {
            return new Packet("", StandardCharsets.UTF_16LE, new byte[0]);
        }
        return new Packet("", StandardCharsets.UTF_8, new byte[0]);
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of {@code key} in {@code packet}, or empty.
     *
     * @throws FormatException when the packet does not decode, or holds the property twice or in a
     *                         form other than simple element text
     */
    static Optional<String> get(byte[] packet, MetadataKey key, String where) throws FormatException {
        String s = decode(packet, where).text();
        Optional<Element> e = find(s, key, where);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(XmpText.unescape(s, e.get().textStart(), e.get().textEnd(),
                where + ", property " + e.get().qname()));
    }

    /**
     * {@code packet} (null: there is none) with {@code value} as the only value of {@code key}, per
     * the class comment.
     *
     * @throws FormatException only when {@code value} holds a character XML cannot carry
     */
    static byte[] set(byte[] packet, MetadataKey key, String value, String where) throws FormatException {
        String text = XmpText.escape(value, where + ", property " + key.qualifiedName());
        if (packet == null) {
            return fresh(key, text);
        }
        Packet p;
        Optional<Element> found;
        try {
            p = decode(packet, where);
            found = find(p.text(), key, where);
        } catch (FormatException unreadable) {
            return fresh(key, text);
        }
        String s = p.text();
        if (found.isPresent()) {
            Element e = found.get();
            return p.encode(s.substring(0, e.textStart()) + text + s.substring(e.textEnd()));
        }
        String element = element(key.qualifiedName(), text);
        int ours = s.indexOf(OUR_BLOCK_START);
        if (ours >= 0 && s.indexOf(OUR_BLOCK_START, ours + 1) < 0) {
            int tagEnd = s.indexOf('>', ours);
            int blockEnd = tagEnd < 0 ? -1 : s.indexOf(DESCRIPTION_END, tagEnd);
            if (blockEnd >= 0 && s.charAt(tagEnd - 1) != '/' && noneBetween(s, DESCRIPTION_START, tagEnd, blockEnd)) {
                String tag = s.substring(ours, tagEnd);
                Optional<String> bound = namespaceOf(tag, key.prefix());
                if (bound.isPresent() && !bound.get().equals(key.namespace())) {
                    // Our block in the file binds this prefix to another namespace (a damaged or
                    // hostile file): the element cannot join it, so the packet is made anew.
                    return fresh(key, text);
                }
                String declared = bound.isPresent() ? tag : tag + declaration(key);
                return p.encode(s.substring(0, ours) + declared + s.substring(tagEnd, blockEnd) + element
                        + s.substring(blockEnd));
            }
            return fresh(key, text);
        }
        int rdfEnd = s.indexOf(RDF_END);
        if (ours < 0 && rdfEnd >= 0 && s.indexOf(RDF_END, rdfEnd + 1) < 0 && s.contains("xmlns:rdf=")) {
            return p.encode(s.substring(0, rdfEnd) + block(key, text) + s.substring(rdfEnd));
        }
        return fresh(key, text);
    }

    /** A whole UTF-8 packet holding only our block with {@code key} set to the escaped {@code text}. */
    private static byte[] fresh(MetadataKey key, String text) {
        return ("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + block(key, text) + RDF_END + "</x:xmpmeta><?xpacket end=\"w\"?>").getBytes(StandardCharsets.UTF_8);
    }

    private static String block(MetadataKey key, String text) {
        return OUR_BLOCK_START + declaration(key) + ">" + element(key.qualifiedName(), text) + DESCRIPTION_END;
    }

    private static String declaration(MetadataKey key) {
        String ns = key.namespace().replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
        return " xmlns:" + key.prefix() + "=\"" + ns + "\"";
    }

    private static String element(String qname, String text) {
        return "<" + qname + ">" + text + "</" + qname + ">";
    }

    /** The one element holding {@code key}, or empty; see the class comment for what is refused. */
    private static Optional<Element> find(String s, MetadataKey key, String where) throws FormatException {
        List<String> tags = startTags(s);
        Set<String> prefixes = new LinkedHashSet<>();
        prefixes.add(key.prefix());
        for (String tag : tags) {
            Matcher m = XMLNS.matcher(tag);
            while (m.find()) {
                if (key.namespace().equals(m.group(2) != null ? m.group(2) : m.group(3))) {
                    prefixes.add(m.group(1));
                }
            }
        }
        List<Element> found = new ArrayList<>();
        for (String prefix : prefixes) {
            String qname = prefix + ":" + key.name();
            Pattern attribute = Pattern.compile("\\s" + Pattern.quote(qname) + "\\s*=");
            for (String tag : tags) {
                if (attribute.matcher(tag).find()) {
                    throw new FormatException(where + ": " + qname + " is stored as an attribute, not as a <"
                            + qname + "> element; write the value again to store it as an element");
                }
            }
            String open = "<" + qname;
            String close = "</" + qname + ">";
            for (int at = s.indexOf(open); at >= 0; at = s.indexOf(open, at + 1)) {
                int after = at + open.length();
                char next = after < s.length() ? s.charAt(after) : '>';
                if (next != '>' && next != '/' && !Character.isWhitespace(next)) {
                    continue; // a longer name, e.g. <TC260:AIGCVersion>
                }
                int gt = s.indexOf('>', after);
                // Namespace declarations are the only attributes simple text may carry.
                if (gt < 0 || s.charAt(gt - 1) == '/'
                        || !XMLNS_ANY.matcher(s.substring(after, gt)).replaceAll("").isBlank()) {
                    throw new FormatException(where + ": <" + qname + "> at character " + at + " is empty or has "
                            + "attributes, not simple text; write the value again to store it as text");
                }
                int end = s.indexOf(close, gt);
                if (end < 0) {
                    throw new FormatException(where + ": <" + qname + "> at character " + at + " is never closed");
                }
                found.add(new Element(qname, at, gt + 1, end, end + close.length()));
            }
        }
        if (found.size() > 1) {
            throw new FormatException(where + ": " + key.qualifiedName() + " is stored " + found.size()
                    + " times (at characters " + found.get(0).start() + " and " + found.get(1).start()
                    + "); remove all but one, or write the value again to replace them");
        }
        return found.stream().findFirst();
    }

    /** The start tags of {@code s} (what is between {@code <} and {@code >}); values never hold a raw {@code <}. */
    private static List<String> startTags(String s) {
        List<String> tags = new ArrayList<>();
        for (int lt = s.indexOf('<'); lt >= 0; lt = s.indexOf('<', lt + 1)) {
            int gt = s.indexOf('>', lt);
            if (gt < 0) {
                break;
            }
            char kind = lt + 1 < s.length() ? s.charAt(lt + 1) : '/';
            if (kind != '/' && kind != '!' && kind != '?') {
                tags.add(s.substring(lt, gt));
            }
        }
        return tags;
    }

    private static Optional<String> namespaceOf(String tag, String prefix) {
        Matcher m = XMLNS.matcher(tag);
        while (m.find()) {
            if (m.group(1).equals(prefix)) {
                return Optional.of(m.group(2) != null ? m.group(2) : m.group(3));
            }
        }
        return Optional.empty();
    }

    private static boolean noneBetween(String s, String needle, int from, int to) {
        int i = s.indexOf(needle, from);
        return i < 0 || i >= to;
    }
}
