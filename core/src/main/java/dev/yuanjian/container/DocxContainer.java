package dev.yuanjian.container;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word documents (OOXML {@code .docx}, and macro-enabled {@code .docm}). Metadata is the custom document property named
 * {@link MetadataKey#name()} ({@code vt:lpwstr}, fmtid {@value #FMTID}) in the custom-properties
 * part, normally {@code docProps/custom.xml}; the text body is the {@code w:t} text of
 * {@code word/document.xml}, and a paragraph is a {@code w:p} at the start of {@code w:body} or at
 * its end before the body's final {@code w:sectPr}.
 *
 * <p>Writing edits the XML parts as text (other properties, attributes and formatting stay as they
 * were) and copies every other entry byte for byte: local header, compressed data and central
 * directory record, only their offsets moving ({@link ZipArchive}). Entries are kept in order; a
 * changed part keeps its name, place and time and is re-deflated. When the package has no custom
 * part the container adds {@code docProps/custom.xml} at the end of the archive, its
 * {@code Override} in {@code [Content_Types].xml} and its relationship in {@code _rels/.rels}.
 * Entries the container creates carry the fixed time 1980-01-01T00:00, so output depends on input
 * only. A property written again keeps its {@code pid}; a new one takes the highest plus one (at
 * least 2: pids 0 and 1 are reserved), beside the document's own properties, which stay as written.
 *
 * <p>Both conformance classes of ISO/IEC 29500 are labelled in their own vocabulary: a Strict
 * document (its main part related as {@value #STRICT_OFFICE_DOCUMENT_REL}) gets the Strict custom-properties namespaces
 * and relationship type, a Transitional one the Transitional ones; an existing custom part keeps
 * the namespaces it declares. A macro-enabled document ({@code .docm}, main part
 * {@code application/vnd.ms-word.document.macroEnabled.main+xml}) is labelled like any other: its
 * {@code vbaProject.bin} and content types are copied untouched, so the macros (and a VBA signature,
 * which covers the VBA project only) keep working; the file stays a {@code .docm}.
 *
 * <p>Untrusted input: the total uncompressed size is capped (default {@value #DEFAULT_MAX_UNCOMPRESSED}
 * bytes; declared sizes are checked before inflating, actual output while inflating) against zip
 * bombs; entry names with {@code ..}, a leading slash, a drive letter or a backslash, duplicate
 * names, encrypted entries, ZIP64 and XML parts with a DTD are refused; every inflated entry must
 * match its CRC-32 and declared size.
 */
public final class DocxContainer implements Container, TextBody {
    public static final String FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
    public static final long DEFAULT_MAX_UNCOMPRESSED = 256L * 1024 * 1024;
    public static final String CUSTOM_PROPERTIES_TYPE =
            "application/vnd.openxmlformats-officedocument.custom-properties+xml";
    public static final String CUSTOM_PROPERTIES_REL =
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
    /** ISO/IEC 29500 Strict: the same parts under other names (ECMA-376 Part 1, Strict schemas). */
    public static final String STRICT_CUSTOM_PROPERTIES_REL =
            "http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties";
    static final String STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main";
    private static final String STRICT_OFFICE_DOCUMENT_REL =
            "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";
    private static final Vocabulary TRANSITIONAL = new Vocabulary(
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes", CUSTOM_PROPERTIES_REL);
    private static final Vocabulary STRICT = new Vocabulary(STRICT_W_NS,
            "http://purl.oclc.org/ooxml/officeDocument/customProperties",
            "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes", STRICT_CUSTOM_PROPERTIES_REL);
    private static final String DOCUMENT = "word/document.xml";
    private static final String CONTENT_TYPES = "[Content_Types].xml";
    private static final String PACKAGE_RELS = "_rels/.rels";
    private static final String DEFAULT_CUSTOM = "docProps/custom.xml";
    private static final Pattern RID = Pattern.compile("rId(\\d+)");
    private static final FormatSignature SIGNATURE = FormatSignature.binary("docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", List.of(".docx", ".docm"),
                    new byte[] {'P', 'K', 3, 4})
            .withMustContain(Bytes.ascii(DOCUMENT));

    private final long maxUncompressed;

    public DocxContainer() {
        this(DEFAULT_MAX_UNCOMPRESSED);
    }

    /** @param maxUncompressed the largest total uncompressed size accepted, in bytes */
    public DocxContainer(long maxUncompressed) {
        if (maxUncompressed <= 0) {
            throw new IllegalArgumentException("maxUncompressed must be positive");
        }
        this.maxUncompressed = maxUncompressed;
    }

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** A sound ZIP holding a Word document whose main part and custom-properties part are well-formed XML. */
    @Override
    public void check(Asset asset) throws FormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        XmlScan.tags(pkg.text(DOCUMENT), pkg.where(DOCUMENT));
        String customName = customPartName(pkg);
        if (pkg.has(customName)) {
            XmlScan.tags(pkg.text(customName), pkg.where(customName));
        }
    }

    /**
     * The text of the custom property named {@code key.name()}, XML entities decoded.
     *
     * @throws FormatException for a broken package or part, two properties of that name, or a
     *     property without a value element
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        String customName = customPartName(pkg);
        if (!pkg.has(customName)) {
            return Optional.empty();
        }
        String where = pkg.where(customName);
        String xml = pkg.text(customName);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        String found = null;
        int count = 0;
        for (int k = 0; k < tags.size(); k++) {
            XmlScan.Tag t = tags.get(k);
            if (!isProperty(t, key.name())) {
                continue;
            }
            count++;
            String at = where + " property " + key.name() + " (pid " + t.attribute("pid").orElse("?") + ")";
            int end = XmlScan.matchingEnd(tags, k);
            if (end == k || end == k + 1) {
                throw new FormatException(at + " has no value element; give it one (e.g. <vt:lpwstr>) or delete it");
            }
            XmlScan.Tag value = tags.get(k + 1);
            found = value.kind() == XmlScan.Tag.Kind.EMPTY
                    ? ""
                    : Scalars.xmlText(xml, value.end(), tags.get(XmlScan.matchingEnd(tags, k + 1)).start(), at);
        }
        if (count > 1) {
            throw twoValues(where, key.name(), count);
        }
        return Optional.ofNullable(found);
    }

    /**
     * The package with {@code value} as the only custom property {@code key.name()}.
     *
     * @throws IllegalArgumentException when {@code value} holds a character XML 1.0 cannot carry
     *     (a control character other than tab, line feed and carriage return, or U+FFFE/U+FFFF)
     */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        String escaped = escapeValue(value);
        Package pkg = Package.read(asset, maxUncompressed);
        String customName = customPartName(pkg);
        Vocabulary vocabulary = Vocabulary.of(pkg);
        String name = key.name();
        if (!pkg.has(customName)) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                    + "<Properties xmlns=\"" + vocabulary.custom() + "\" xmlns:vt=\"" + vocabulary.vt() + "\">"
                    + property("", "vt:", "", 2, name, escaped) + "</Properties>";
            pkg.replace(customName, xml);
        } else {
            String where = pkg.where(customName);
            String xml = pkg.text(customName);
            List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
            XmlScan.Tag root = tags.get(0);
            // Use the part's own prefix for the value types; declare vt: locally if it has none, in
            // the vocabulary of the part's root (a Strict part in a Transitional package stays Strict).
            Optional<String> bound = root.prefixFor(TRANSITIONAL.vt()).or(() -> root.prefixFor(STRICT.vt()));
            String vt = bound.orElse("vt:");
            String partVt = root.prefixFor(STRICT.custom()).isPresent() ? STRICT.vt()
                    : root.prefixFor(TRANSITIONAL.custom()).isPresent() ? TRANSITIONAL.vt() : vocabulary.vt();
            String declareVt = bound.isPresent() ? "" : " xmlns:vt=\"" + partVt + "\"";
            List<int[]> existing = new ArrayList<>();
            int maxPid = 1;
            for (int k = 0; k < tags.size(); k++) {
                XmlScan.Tag t = tags.get(k);
                if (t.depth() == 1 && t.kind() != XmlScan.Tag.Kind.END && t.localName().equals("property")) {
                    int pid = pidOf(t, where);
                    maxPid = Math.max(maxPid, pid);
                    if (t.attribute("name").orElse("").equals(name)) {
                        existing.add(new int[] {t.start(), tags.get(XmlScan.matchingEnd(tags, k)).end(), pid});
                    }
                }
            }
            if (existing.size() > 1) {
                throw twoValues(where, name, existing.size());
            }
            String prefix = root.prefix();
            String edited;
            if (existing.size() == 1) {
                int[] at = existing.get(0);
                edited = xml.substring(0, at[0]) + property(prefix, vt, declareVt, at[2], name, escaped)
                        + xml.substring(at[1]);
            } else {
                XmlScan.Tag rootEnd = tags.get(tags.size() - 1);
                if (root.kind() == XmlScan.Tag.Kind.EMPTY) {
                    // <Properties .../> has no room for children: open it up.
                    edited = xml.substring(0, root.end() - 2) + ">"
                            + property(prefix, vt, declareVt, maxPid + 1, name, escaped)
                            + "</" + root.qname() + ">" + xml.substring(root.end());
                } else {
                    edited = xml.substring(0, rootEnd.start())
                            + property(prefix, vt, declareVt, maxPid + 1, name, escaped)
                            + xml.substring(rootEnd.start());
                }
            }
            pkg.replace(customName, edited);
        }
        ensureContentType(pkg, customName);
        ensureRelationship(pkg, customName, vocabulary.customRel());
        return asset.withBytes(pkg.write());
    }

    @Override
    public Optional<TextBody> textBody() {
        return Optional.of(this);
    }

    /** The text of every {@code w:t} of the main part, a line break after each paragraph. */
    @Override
    public String visibleText(Asset asset, int maxChars) throws FormatException {
        String text = documentText(asset);
        return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    @Override
    public boolean containsAny(Asset asset, List<String> texts) throws FormatException {
        String text = documentText(asset);
        return texts.stream().anyMatch(text::contains);
    }

    /**
     * A {@code <w:p><w:r><w:t xml:space="preserve">text</w:t></w:r></w:p>} as the body's first
     * child (START) or just before its final {@code w:sectPr} (END), in the part's own prefix.
     */
    @Override
    public Asset insertParagraph(Asset asset, String text, Edge edge) throws FormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        String where = pkg.where(DOCUMENT);
        String xml = pkg.text(DOCUMENT);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        String w = wordPrefix(tags.get(0)).orElseThrow(() -> new FormatException(
                where + " does not declare the WordprocessingML namespace on its root; it is not a Word document"));
        int bodyIndex = -1;
        for (int k = 0; k < tags.size(); k++) {
            XmlScan.Tag t = tags.get(k);
            if (t.depth() == 1 && t.kind() != XmlScan.Tag.Kind.END && t.qname().equals(w + "body")) {
                bodyIndex = k;
                break;
            }
        }
        if (bodyIndex < 0) {
            throw new FormatException(where + " has no " + w + "body element; it is not a Word document body");
        }
        String paragraph = "<" + w + "p><" + w + "r><" + w + "t xml:space=\"preserve\">"
                + escapeValue(text) + "</" + w + "t></" + w + "r></" + w + "p>";
        XmlScan.Tag body = tags.get(bodyIndex);
        String edited;
        if (body.kind() == XmlScan.Tag.Kind.EMPTY) {
            edited = xml.substring(0, body.end() - 2) + ">" + paragraph + "</" + body.qname() + ">"
                    + xml.substring(body.end());
        } else if (edge == Edge.START) {
            edited = xml.substring(0, body.end()) + paragraph + xml.substring(body.end());
        } else {
            int endIndex = XmlScan.matchingEnd(tags, bodyIndex);
            int insertAt = tags.get(endIndex).start();
            // The body's last child is its section properties when present; text goes before them.
            for (int k = endIndex - 1; k > bodyIndex; k--) {
                XmlScan.Tag t = tags.get(k);
                if (t.depth() == 2 && t.kind() != XmlScan.Tag.Kind.END) {
                    if (t.qname().equals(w + "sectPr")) {
                        insertAt = t.start();
                    }
                    break;
                }
            }
            edited = xml.substring(0, insertAt) + paragraph + xml.substring(insertAt);
        }
        pkg.replace(DOCUMENT, edited);
        return asset.withBytes(pkg.write());
    }

    private String documentText(Asset asset) throws FormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        String where = pkg.where(DOCUMENT);
        String xml = pkg.text(DOCUMENT);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        String w = wordPrefix(tags.get(0)).orElse("w:");
        String t = w + "t";
        String p = w + "p";
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < tags.size(); k++) {
            XmlScan.Tag tag = tags.get(k);
            if (tag.kind() == XmlScan.Tag.Kind.START && tag.qname().equals(t)) {
                XmlScan.Tag end = tags.get(k + 1);
                if (end.kind() == XmlScan.Tag.Kind.END && end.depth() == tag.depth()) {
                    text.append(Scalars.xmlText(xml, tag.end(), end.start(), where));
                }
            } else if (tag.kind() == XmlScan.Tag.Kind.END && tag.qname().equals(p)) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** The prefix of WordprocessingML on the main part's root, Transitional or Strict. */
    private static Optional<String> wordPrefix(XmlScan.Tag root) {
        return root.prefixFor(TRANSITIONAL.w()).or(() -> root.prefixFor(STRICT.w()));
    }

    private static boolean isProperty(XmlScan.Tag t, String name) {
        return t.depth() == 1 && t.kind() != XmlScan.Tag.Kind.END && t.localName().equals("property")
                && t.attribute("name").orElse("").equals(name);
    }

    /**
     * XML text for {@code value}: markup characters escaped, and carriage returns as a character
     * reference, since a parser turns a raw one into a line feed.
     */
    private static String escapeValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\ufffe' || c == '\uffff') {
                throw new IllegalArgumentException("XML cannot carry character " + String.format("U+%04X", (int) c)
                        + " (at index " + i + "); escape it in the value before storing it in a DOCX");
            }
        }
        return XmlScan.escapeText(value).replace("\r", "&#xD;");
    }

    private static String property(String prefix, String vt, String declareVt, int pid, String name,
                                   String escapedValue) {
        return "<" + prefix + "property fmtid=\"" + FMTID + "\" pid=\"" + pid + "\" name=\"" + name + "\"><" + vt
                + "lpwstr" + declareVt + ">" + escapedValue + "</" + vt + "lpwstr></" + prefix + "property>";
    }

    private static int pidOf(XmlScan.Tag t, String where) throws FormatException {
        String pid = t.attribute("pid").orElse("");
        try {
            return Integer.parseInt(pid.strip());
        } catch (NumberFormatException e) {
            throw new FormatException(where + ": a custom property at offset " + t.start()
                    + " has pid \"" + pid + "\", which is not a number; fix or delete that property");
        }
    }

    private static FormatException twoValues(String where, String name, int count) {
        return new FormatException(where + " has " + count + " custom properties named " + name + "; a property "
                + "holds one value: delete all but one (Word: File > Properties > Advanced Properties > Custom)");
    }

    /** The custom-properties part named by the package relationship, else the conventional name. */
    private static String customPartName(Package pkg) throws FormatException {
        String where = pkg.where(PACKAGE_RELS);
        String xml = pkg.text(PACKAGE_RELS);
        for (XmlScan.Tag t : XmlScan.tags(xml, where)) {
            if (t.depth() == 1 && t.localName().equals("Relationship")
                    && isCustomPropertiesRel(t)
                    && !t.attribute("TargetMode").orElse("").equals("External")) {
                String target = t.attribute("Target").orElse(DEFAULT_CUSTOM);
                String name = target.startsWith("/") ? target.substring(1) : target;
                ZipArchive.checkName(name, where + " custom-properties target");
                return name;
            }
        }
        return DEFAULT_CUSTOM;
    }

    private static void ensureContentType(Package pkg, String partName) throws FormatException {
        String where = pkg.where(CONTENT_TYPES);
        String xml = pkg.text(CONTENT_TYPES);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        for (XmlScan.Tag t : tags) {
            if (t.depth() == 1 && t.localName().equals("Override")
                    && t.attribute("PartName").orElse("").equalsIgnoreCase("/" + partName)) {
                return;
            }
        }
        XmlScan.Tag root = tags.get(0);
        String override = "<" + root.prefix() + "Override PartName=\"/" + XmlScan.escapeAttribute(partName)
                + "\" ContentType=\"" + CUSTOM_PROPERTIES_TYPE + "\"/>";
        pkg.replace(CONTENT_TYPES, insertBeforeRootEnd(xml, tags, override));
    }

    private static boolean isCustomPropertiesRel(XmlScan.Tag t) {
        String type = t.attribute("Type").orElse("");
        return type.equals(CUSTOM_PROPERTIES_REL) || type.equals(STRICT_CUSTOM_PROPERTIES_REL);
    }

    private static void ensureRelationship(Package pkg, String partName, String type) throws FormatException {
        String where = pkg.where(PACKAGE_RELS);
        String xml = pkg.text(PACKAGE_RELS);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        Set<String> ids = new HashSet<>();
        int maxId = 0;
        for (XmlScan.Tag t : tags) {
            if (t.depth() != 1 || !t.localName().equals("Relationship")) {
                continue;
            }
            if (isCustomPropertiesRel(t)) {
                return;
            }
            String id = t.attribute("Id").orElse("");
            ids.add(id);
            Matcher m = RID.matcher(id);
            if (m.matches() && m.group(1).length() < 9) {
                maxId = Math.max(maxId, Integer.parseInt(m.group(1)));
            }
        }
        String id = "rId" + (maxId + 1);
        while (ids.contains(id)) {
            id = id + "a";
        }
        String rel = "<" + tags.get(0).prefix() + "Relationship Id=\"" + id + "\" Type=\"" + type
                + "\" Target=\"" + XmlScan.escapeAttribute(partName) + "\"/>";
        pkg.replace(PACKAGE_RELS, insertBeforeRootEnd(xml, tags, rel));
    }

    private static String insertBeforeRootEnd(String xml, List<XmlScan.Tag> tags, String child) {
        XmlScan.Tag root = tags.get(0);
        if (root.kind() == XmlScan.Tag.Kind.EMPTY) {
            return xml.substring(0, root.end() - 2) + ">" + child + "</" + root.qname() + ">" + xml.substring(root.end());
        }
        XmlScan.Tag end = tags.get(tags.size() - 1);
        return xml.substring(0, end.start()) + child + xml.substring(end.start());
    }

    /**
     * The namespaces and relationship type of one conformance class of ISO/IEC 29500.
     *
     * @param w the WordprocessingML namespace of the main part
     * @param custom the custom-properties part's namespace
     * @param vt the variant types' namespace (values of custom properties)
     * @param customRel the package relationship type of the custom-properties part
     */
    private record Vocabulary(String w, String custom, String vt, String customRel) {

        /**
         * Strict when the package names its main part with the Strict relationship type (read from
         * the small {@code _rels/.rels}, not the main part, which may be megabytes), else Transitional.
         */
        static Vocabulary of(Package pkg) throws FormatException {
            for (XmlScan.Tag t : XmlScan.tags(pkg.text(PACKAGE_RELS), pkg.where(PACKAGE_RELS))) {
                if (t.depth() == 1 && t.localName().equals("Relationship")
                        && t.attribute("Type").orElse("").equals(STRICT_OFFICE_DOCUMENT_REL)) {
                    return STRICT;
                }
            }
            return TRANSITIONAL;
        }
    }

    /** The archive plus the XML parts decoded so far; edits go through here. */
    private static final class Package {
        final String asset;
        final ZipArchive zip;
        private final Map<String, String> texts = new HashMap<>();

        private Package(String asset, ZipArchive zip) {
            this.asset = asset;
            this.zip = zip;
        }

        static Package read(Asset asset, long maxUncompressed) throws FormatException {
            String name = asset.name();
            if (!Bytes.startsWith(asset.bytes(), 0, new byte[] {'P', 'K', 3, 4})) {
                throw new FormatException(name + " is not a DOCX: it is not a ZIP archive (no PK header); "
                        + "save it from Word as .docx");
            }
            Package pkg = new Package(name, ZipArchive.read(asset.bytes(), name, maxUncompressed));
            if (!pkg.has(DOCUMENT)) {
                throw new FormatException(name + " is a ZIP archive but not a Word document (no " + DOCUMENT
                        + "); only .docx is supported, not .xlsx, .pptx or other archives");
            }
            if (!pkg.has(CONTENT_TYPES) || !pkg.has(PACKAGE_RELS)) {
                throw new FormatException(name + " is not a valid Word document: " + CONTENT_TYPES + " or "
                        + PACKAGE_RELS + " is missing; save it again from Word");
            }
            return pkg;
        }

        boolean has(String part) {
            return zip.find(part) != null;
        }

        String where(String part) {
            return asset + ": " + part;
        }

        /** The part as strict UTF-8 text (OOXML parts are XML in UTF-8; UTF-16 is refused). */
        String text(String part) throws FormatException {
            String cached = texts.get(part);
            if (cached != null) {
                return cached;
            }
            byte[] content = zip.content(zip.find(part));
            if (content.length >= 2 && ((content[0] == (byte) 0xfe && content[1] == (byte) 0xff)
                    || (content[0] == (byte) 0xff && content[1] == (byte) 0xfe))) {
                throw new FormatException(where(part) + " is UTF-16; only UTF-8 XML parts are supported "
                        + "(save the document again from Word)");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException e) {
                throw new FormatException(where(part) + " is not UTF-8 XML (" + e.getMessage()
                        + "); save the document again from Word", e);
            }
            texts.put(part, text);
            return text;
        }

        void replace(String part, String xml) {
            texts.put(part, xml);
            ZipArchive.Entry e = zip.find(part);
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            if (e == null) {
                zip.add(part, bytes);
            } else {
                zip.replace(e, bytes);
            }
        }

        byte[] write() {
            return zip.write();
        }
    }
}
