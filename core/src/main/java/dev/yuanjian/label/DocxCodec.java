package dev.yuanjian.label;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Word documents (OOXML .docx). The implicit label is the custom document property {@code AIGC}
 * ({@code vt:lpwstr}, fmtid {@value #FMTID}) in the custom-properties part, normally
 * {@code docProps/custom.xml}; the explicit label is a {@code w:p} paragraph at the start of
 * {@code w:body}, or at its end before the body's final {@code w:sectPr}.
 *
 * <p>Writing edits the XML parts as text (other properties, attributes and formatting stay as they
 * were) and keeps every other entry's name, order, method, time and uncompressed content. When the
 * package has no custom part it adds {@code docProps/custom.xml} at the end of the archive, its
 * {@code Override} in {@code [Content_Types].xml} and its relationship in {@code _rels/.rels}.
 * Entries the codec creates carry the fixed time 1980-01-01T00:00, so output depends on input only.
 * Compressed bytes may differ from the input's (entries are re-deflated by java.util.zip), which is
 * why the digest below is defined over uncompressed content.
 *
 * <p>Protected digest, exactly: SHA-256 over, for each entry in archive order,
 * {@code u32be(len(name)) || name || u64be(len(c)) || c}, where {@code name} is the entry name in
 * UTF-8 and {@code c} its uncompressed content; for the custom-properties part {@code c} is the
 * content with the characters of the {@code ReservedCode1} value (as stored, between its JSON
 * quotes, still XML-escaped) cut out, and {@code len(c)} is the length after the cut. Entry times,
 * compression and the archive's own structure are not covered.
 *
 * <p>Untrusted input: the total uncompressed size is capped (default {@value #DEFAULT_MAX_UNCOMPRESSED}
 * bytes) against zip bombs, entry names with {@code ..}, a leading slash, a drive letter or a
 * backslash are refused, and XML parts with a DTD are refused.
 */
public final class DocxCodec implements LabelCodec {
    public static final String FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
    public static final long DEFAULT_MAX_UNCOMPRESSED = 256L * 1024 * 1024;
    static final String CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
    static final String CUSTOM_PROPERTIES_REL =
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
    private static final String CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
    private static final String VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
    private static final String W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final String DOCUMENT = "word/document.xml";
    private static final String CONTENT_TYPES = "[Content_Types].xml";
    private static final String PACKAGE_RELS = "_rels/.rels";
    private static final String DEFAULT_CUSTOM = "docProps/custom.xml";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final int MAX_ENTRIES = 10_000;
    private static final Pattern RID = Pattern.compile("rId(\\d+)");

    private final long maxUncompressed;

    public DocxCodec() {
        this(DEFAULT_MAX_UNCOMPRESSED);
    }

    /** @param maxUncompressed the largest total uncompressed size accepted, in bytes */
    public DocxCodec(long maxUncompressed) {
        if (maxUncompressed <= 0) {
            throw new IllegalArgumentException("maxUncompressed must be positive");
        }
        this.maxUncompressed = maxUncompressed;
    }

    @Override
    public String format() {
        return "docx";
    }

    @Override
    public String mediaType() {
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return Codecs.hasDocxMainPart(head);
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        Optional<CustomProperty> property = aigcProperty(pkg);
        if (property.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AigcLabel.parse(property.get().text.json, property.get().where));
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        String customName = customPartName(pkg);
        Part custom = pkg.find(customName);
        String json = XmlScan.escapeText(label.toWrappedJson());
        if (custom == null) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                    + "<Properties xmlns=\"" + CUSTOM_NS + "\" xmlns:vt=\"" + VT_NS + "\">"
                    + property("", "vt:", "", 2, json) + "</Properties>";
            pkg.parts.add(Part.created(customName, xml));
        } else {
            String where = asset.name() + ": " + customName;
            String xml = custom.text(where);
            List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
            XmlScan.Tag root = tags.get(0);
            String vt = root.prefixFor(VT_NS).orElse(null);
            String declareVt = vt == null ? " xmlns:vt=\"" + VT_NS + "\"" : "";
            List<int[]> aigc = new ArrayList<>();
            int maxPid = 1;
            for (int k = 0; k < tags.size(); k++) {
                XmlScan.Tag t = tags.get(k);
                if (t.depth() == 1 && t.kind() != XmlScan.Tag.Kind.END && t.localName().equals("property")) {
                    int pid = pidOf(t, where);
                    maxPid = Math.max(maxPid, pid);
                    if (t.attribute("name").orElse("").equals("AIGC")) {
                        aigc.add(new int[] {t.start(), tags.get(XmlScan.matchingEnd(tags, k)).end(), pid});
                    }
                }
            }
            if (aigc.size() > 1) {
                throw twoLabels(where, aigc.size());
            }
            String prefix = root.prefix();
            String edited;
            if (aigc.size() == 1) {
                int[] at = aigc.get(0);
                edited = xml.substring(0, at[0]) + property(prefix, vt == null ? "vt:" : vt, declareVt, at[2], json)
                        + xml.substring(at[1]);
            } else {
                XmlScan.Tag rootEnd = tags.get(tags.size() - 1);
                if (root.kind() == XmlScan.Tag.Kind.EMPTY) {
                    // <Properties .../> has no room for children: open it up.
                    edited = xml.substring(0, root.end() - 2) + ">"
                            + property(prefix, vt == null ? "vt:" : vt, declareVt, maxPid + 1, json)
                            + "</" + root.qname() + ">" + xml.substring(root.end());
                } else {
                    edited = xml.substring(0, rootEnd.start())
                            + property(prefix, vt == null ? "vt:" : vt, declareVt, maxPid + 1, json)
                            + xml.substring(rootEnd.start());
                }
            }
            custom.replace(edited);
        }
        ensureContentType(pkg, customName, asset.name());
        ensureRelationship(pkg, customName, asset.name());
        return asset.withBytes(pkg.write());
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        Part document = pkg.find(DOCUMENT);
        String where = asset.name() + ": " + DOCUMENT;
        String xml = document.text(where);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        String text = visibleText(xml, tags, where);
        if (explicit.isPresentIn(text)) {
            return asset;
        }
        String w = tags.get(0).prefixFor(W_NS).orElseThrow(() -> new LabelFormatException(
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
            throw new LabelFormatException(where + " has no " + w + "body element; it is not a Word document body");
        }
        String paragraph = "<" + w + "p><" + w + "r><" + w + "t xml:space=\"preserve\">"
                + XmlScan.escapeText(explicit.wordingFor(text)) + "</" + w + "t></" + w + "r></" + w + "p>";
        XmlScan.Tag body = tags.get(bodyIndex);
        String edited;
        if (body.kind() == XmlScan.Tag.Kind.EMPTY) {
            edited = xml.substring(0, body.end() - 2) + ">" + paragraph + "</" + body.qname() + ">"
                    + xml.substring(body.end());
        } else if (explicit.position() == ExplicitLabel.Position.START) {
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
        document.replace(edited);
        return asset.withBytes(pkg.write());
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        String where = asset.name() + ": " + DOCUMENT;
        String xml = pkg.find(DOCUMENT).text(where);
        return explicit.isPresentIn(visibleText(xml, XmlScan.tags(xml, where), where));
    }

    @Override
    public byte[] protectedDigest(Asset asset) throws LabelFormatException {
        Package pkg = Package.read(asset, maxUncompressed);
        Optional<CustomProperty> property = aigcProperty(pkg);
        Part cutPart = null;
        int cutStart = 0;
        int cutEnd = 0;
        if (property.isPresent()) {
            CustomProperty p = property.get();
            AigcLabel.parse(p.text.json, p.where);
            Optional<LabelText.Span> span = p.text.reservedCode1(p.where);
            if (span.isPresent()) {
                cutPart = p.part;
                // The XML was scanned as chars; the digest cuts bytes. Everything before the value is
                // re-encoded to find its byte offset (the part is strict UTF-8, so this is exact).
                cutStart = p.xml.substring(0, span.get().start()).getBytes(StandardCharsets.UTF_8).length;
                cutEnd = cutStart + p.xml.substring(span.get().start(), span.get().end())
                        .getBytes(StandardCharsets.UTF_8).length;
            }
        }
        MessageDigest md = Bytes.sha256();
        ByteBuffer header = ByteBuffer.allocate(8);
        for (Part part : pkg.parts) {
            byte[] name = part.name.getBytes(StandardCharsets.UTF_8);
            md.update(header.clear().putInt(name.length).array(), 0, 4);
            md.update(name);
            byte[] c = part.content;
            boolean cut = part == cutPart;
            long length = cut ? c.length - (cutEnd - cutStart) : c.length;
            md.update(header.clear().putLong(length).array(), 0, 8);
            if (cut) {
                md.update(c, 0, cutStart);
                md.update(c, cutEnd, c.length - cutEnd);
            } else {
                md.update(c);
            }
        }
        return md.digest();
    }

    private static String property(String prefix, String vt, String declareVt, int pid, String escapedJson) {
        return "<" + prefix + "property fmtid=\"" + FMTID + "\" pid=\"" + pid + "\" name=\"AIGC\"><" + vt + "lpwstr"
                + declareVt + ">" + escapedJson + "</" + vt + "lpwstr></" + prefix + "property>";
    }

    private static int pidOf(XmlScan.Tag t, String where) throws LabelFormatException {
        String pid = t.attribute("pid").orElse("");
        try {
            return Integer.parseInt(pid.strip());
        } catch (NumberFormatException e) {
            throw new LabelFormatException(where + ": a custom property at offset " + t.start()
                    + " has pid \"" + pid + "\", which is not a number");
        }
    }

    private static LabelFormatException twoLabels(String where, int count) {
        return new LabelFormatException(where + " has " + count + " custom properties named AIGC; a file carries one "
                + "implicit label: delete all but one (Word: File > Properties > Advanced Properties > Custom)");
    }

    /** The {@code AIGC} custom property with its decoded value, if the package has one. */
    private Optional<CustomProperty> aigcProperty(Package pkg) throws LabelFormatException {
        String customName = customPartName(pkg);
        Part custom = pkg.find(customName);
        if (custom == null) {
            return Optional.empty();
        }
        String where = pkg.asset + ": " + customName;
        String xml = custom.text(where);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        CustomProperty found = null;
        int count = 0;
        for (int k = 0; k < tags.size(); k++) {
            XmlScan.Tag t = tags.get(k);
            if (t.depth() != 1 || t.kind() == XmlScan.Tag.Kind.END || !t.localName().equals("property")
                    || !t.attribute("name").orElse("").equals("AIGC")) {
                continue;
            }
            count++;
            String at = where + " property AIGC (pid " + t.attribute("pid").orElse("?") + ")";
            int end = XmlScan.matchingEnd(tags, k);
            if (end == k || end == k + 1) {
                throw new LabelFormatException("the AIGC label in " + at + " is empty; it must hold the label JSON");
            }
            XmlScan.Tag value = tags.get(k + 1);
            int valueEnd = XmlScan.matchingEnd(tags, k + 1);
            LabelText text = value.kind() == XmlScan.Tag.Kind.EMPTY
                    ? LabelText.verbatim(xml, value.end(), value.end())
                    : LabelText.xmlText(xml, value.end(), tags.get(valueEnd).start(), at);
            found = new CustomProperty(custom, xml, text, at);
        }
        if (count > 1) {
            throw twoLabels(where, count);
        }
        return Optional.ofNullable(found);
    }

    private record CustomProperty(Part part, String xml, LabelText text, String where) {
    }

    /** The custom-properties part named by the package relationship, else the conventional name. */
    private static String customPartName(Package pkg) throws LabelFormatException {
        Part rels = pkg.find(PACKAGE_RELS);
        if (rels == null) {
            return DEFAULT_CUSTOM;
        }
        String where = pkg.asset + ": " + PACKAGE_RELS;
        String xml = rels.text(where);
        for (XmlScan.Tag t : XmlScan.tags(xml, where)) {
            if (t.depth() == 1 && t.localName().equals("Relationship")
                    && t.attribute("Type").orElse("").equals(CUSTOM_PROPERTIES_REL)
                    && !t.attribute("TargetMode").orElse("").equals("External")) {
                String target = t.attribute("Target").orElse(DEFAULT_CUSTOM);
                String name = target.startsWith("/") ? target.substring(1) : target;
                Package.checkName(name, pkg.asset + ": " + PACKAGE_RELS + " custom-properties target");
                return name;
            }
        }
        return DEFAULT_CUSTOM;
    }

    private static void ensureContentType(Package pkg, String partName, String asset) throws LabelFormatException {
        Part types = pkg.find(CONTENT_TYPES);
        String where = asset + ": " + CONTENT_TYPES;
        String xml = types.text(where);
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
        types.replace(insertBeforeRootEnd(xml, tags, override));
    }

    private static void ensureRelationship(Package pkg, String partName, String asset) throws LabelFormatException {
        Part rels = pkg.find(PACKAGE_RELS);
        String where = asset + ": " + PACKAGE_RELS;
        String xml = rels.text(where);
        List<XmlScan.Tag> tags = XmlScan.tags(xml, where);
        Set<String> ids = new HashSet<>();
        int maxId = 0;
        for (XmlScan.Tag t : tags) {
            if (t.depth() != 1 || !t.localName().equals("Relationship")) {
                continue;
            }
            if (t.attribute("Type").orElse("").equals(CUSTOM_PROPERTIES_REL)) {
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
        String rel = "<" + tags.get(0).prefix() + "Relationship Id=\"" + id + "\" Type=\"" + CUSTOM_PROPERTIES_REL
                + "\" Target=\"" + XmlScan.escapeAttribute(partName) + "\"/>";
        rels.replace(insertBeforeRootEnd(xml, tags, rel));
    }

    private static String insertBeforeRootEnd(String xml, List<XmlScan.Tag> tags, String child) {
        XmlScan.Tag root = tags.get(0);
        if (root.kind() == XmlScan.Tag.Kind.EMPTY) {
            return xml.substring(0, root.end() - 2) + ">" + child + "</" + root.qname() + ">" + xml.substring(root.end());
        }
        XmlScan.Tag end = tags.get(tags.size() - 1);
        return xml.substring(0, end.start()) + child + xml.substring(end.start());
    }

    /** The text of every {@code w:t}, a line break after each paragraph. */
    private static String visibleText(String xml, List<XmlScan.Tag> tags, String where) throws LabelFormatException {
        String w = tags.get(0).prefixFor(W_NS).orElse("w:");
        String t = w + "t";
        String p = w + "p";
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < tags.size(); k++) {
            XmlScan.Tag tag = tags.get(k);
            if (tag.kind() == XmlScan.Tag.Kind.START && tag.qname().equals(t)) {
                XmlScan.Tag end = tags.get(k + 1);
                if (end.kind() == XmlScan.Tag.Kind.END && end.depth() == tag.depth()) {
                    text.append(LabelText.xmlText(xml, tag.end(), end.start(), where).json);
                }
            } else if (tag.kind() == XmlScan.Tag.Kind.END && tag.qname().equals(p)) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** One ZIP entry, its metadata as read and its uncompressed content. */
    private static final class Part {
        final String name;
        final int method;
        final LocalDateTime time;
        final byte[] extra;
        byte[] content;
        private String text;

        private Part(String name, int method, LocalDateTime time, byte[] extra, byte[] content) {
            this.name = name;
            this.method = method;
            this.time = time;
            this.extra = extra;
            this.content = content;
        }

        static Part created(String name, String xml) {
            Part p = new Part(name, ZipEntry.DEFLATED, FIXED_TIME, null, xml.getBytes(StandardCharsets.UTF_8));
            p.text = xml;
            return p;
        }

        String text(String where) throws LabelFormatException {
            if (text == null) {
                if (content.length >= 2 && ((content[0] == (byte) 0xfe && content[1] == (byte) 0xff)
                        || (content[0] == (byte) 0xff && content[1] == (byte) 0xfe))) {
                    throw new LabelFormatException(where + " is UTF-16; only UTF-8 XML parts are supported "
                            + "(save the document again from Word)");
                }
                try {
                    text = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(content)).toString();
                } catch (CharacterCodingException e) {
                    throw new LabelFormatException(where + " is not UTF-8 XML (" + e.getMessage() + ")", e);
                }
            }
            return text;
        }

        void replace(String xml) {
            text = xml;
            content = xml.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The archive's entries in order; reading enforces the size cap and the name rules. */
    private static final class Package {
        final String asset;
        final List<Part> parts;

        private Package(String asset, List<Part> parts) {
            this.asset = asset;
            this.parts = parts;
        }

        Part find(String name) {
            for (Part p : parts) {
                if (p.name.equals(name)) {
                    return p;
                }
            }
            return null;
        }

        static Package read(Asset asset, long maxUncompressed) throws LabelFormatException {
            byte[] bytes = asset.bytes();
            String name = asset.name();
            if (!Bytes.startsWith(bytes, 0, new byte[] {'P', 'K', 3, 4})) {
                throw new LabelFormatException(name + " is not a DOCX: it is not a ZIP archive (no PK header); "
                        + "save it from Word as .docx");
            }
            int declared = endOfCentralDirectoryCount(bytes, name);
            List<Part> parts = new ArrayList<>();
            Set<String> names = new HashSet<>();
            long total = 0;
            byte[] buf = new byte[16384];
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    String entry = e.getName();
                    checkName(entry, name);
                    if (!names.add(entry)) {
                        throw new LabelFormatException(name + " is corrupt: the entry " + entry + " appears twice");
                    }
                    if (parts.size() >= MAX_ENTRIES) {
                        throw new LabelFormatException(name + " has more than " + MAX_ENTRIES + " entries; "
                                + "a Word document never has that many, so it is refused");
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream(e.getSize() > 0
                            ? (int) Math.min(e.getSize(), 1 << 24) : 4096);
                    int r;
                    while ((r = zip.read(buf)) > 0) {
                        total += r;
                        if (total > maxUncompressed) {
                            throw new LabelFormatException(name + " expands to more than " + maxUncompressed
                                    + " bytes, the limit for a DOCX (a zip bomb?); if the document is genuine, "
                                    + "construct DocxCodec with a higher limit");
                        }
                        out.write(buf, 0, r);
                    }
                    parts.add(new Part(entry, e.getMethod(), e.getTimeLocal(), e.getExtra(), out.toByteArray()));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new LabelFormatException(name + " is a corrupt or truncated ZIP archive (" + e.getMessage()
                        + "); get a fresh copy of the document", e);
            }
            if (declared >= 0 && declared != parts.size()) {
                throw new LabelFormatException(name + " is a corrupt ZIP archive: its directory lists " + declared
                        + " entries but " + parts.size() + " were found; get a fresh copy of the document");
            }
            Package pkg = new Package(name, parts);
            if (pkg.find(DOCUMENT) == null) {
                throw new LabelFormatException(name + " is a ZIP archive but not a Word document (no " + DOCUMENT
                        + "); only .docx is supported, not .xlsx, .pptx or other archives");
            }
            if (pkg.find(CONTENT_TYPES) == null || pkg.find(PACKAGE_RELS) == null) {
                throw new LabelFormatException(name + " is not a valid Word document: " + CONTENT_TYPES + " or "
                        + PACKAGE_RELS + " is missing; save it again from Word");
            }
            return pkg;
        }

        /** Refuses names that could escape a folder when someone later unpacks the archive. */
        static void checkName(String entry, String where) throws LabelFormatException {
            boolean bad = entry.isEmpty() || entry.startsWith("/") || entry.indexOf('\\') >= 0 || entry.indexOf('\0') >= 0
                    || (entry.length() > 1 && entry.charAt(1) == ':');
            for (String segment : entry.split("/", -1)) {
                bad |= segment.equals("..");
            }
            if (bad) {
                throw new LabelFormatException(where + " has an unsafe entry name \"" + entry
                        + "\" (absolute, drive letter, backslash or '..'); a genuine DOCX never has one, so it is refused");
            }
        }

        /**
         * The entry count the end-of-central-directory record declares (-1 for ZIP64's 0xFFFF),
         * which also proves the archive was not cut short: ZipInputStream alone reads local
         * headers and would accept a file that lost its directory.
         */
        private static int endOfCentralDirectoryCount(byte[] b, String name) throws LabelFormatException {
            int from = Math.max(0, b.length - 22 - 65535);
            for (int i = b.length - 22; i >= from; i--) {
                if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                    int count = (b[i + 10] & 0xff) | (b[i + 11] & 0xff) << 8;
                    return count == 0xffff ? -1 : count;
                }
            }
            throw new LabelFormatException(name + " is a truncated or corrupt ZIP archive (no end-of-central-directory "
                    + "record); get a fresh copy of the document");
        }

        byte[] write() throws LabelFormatException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(estimate());
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Part p : parts) {
                    ZipEntry e = new ZipEntry(p.name);
                    e.setMethod(p.method);
                    if (p.extra != null) {
                        e.setExtra(p.extra);
                    }
                    e.setTimeLocal(p.time);
                    if (p.method == ZipEntry.STORED) {
                        CRC32 crc = new CRC32();
                        crc.update(p.content);
                        e.setSize(p.content.length);
                        e.setCompressedSize(p.content.length);
                        e.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(e);
                    zip.write(p.content);
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new LabelFormatException(asset + ": cannot write the archive back (" + e.getMessage() + ")", e);
            }
            return out.toByteArray();
        }

        private int estimate() {
            long n = 1024;
            for (Part p : parts) {
                n += p.content.length / 3 + 128;
            }
            return (int) Math.min(n, Integer.MAX_VALUE - 8);
        }
    }
}
