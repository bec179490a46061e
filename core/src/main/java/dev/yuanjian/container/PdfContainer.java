package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * PDF. Metadata is the key {@code /NAME} ({@link MetadataKey#name()}) of the document information
 * dictionary (the trailer's {@code /Info}), a literal string: printable ASCII (with tab and line
 * breaks) as is, anything else as UTF-16BE with a byte order mark, as PDF text strings are (in an
 * encrypted file: those bytes encrypted, written in hex).
 *
 * <p><b>Metadata revision.</b> {@link #withMetadata} never rewrites a sound original: it appends one
 * incremental update, the <em>metadata revision</em>, holding only a new Info dictionary (the old
 * one's entries, with the key set) and its cross-reference section (a table or a stream, as the
 * file's last section was), marked by the comment line {@value #MARKER}. The marker is the one
 * the label codec has always written, so files labelled before this container existed are
 * recognised. The revision is a pure function of the bytes before it, the key and the value:
 * written twice it is the same bytes. Before appending, the container checks whether the file
 * already ends in a revision of its own for that key, by regenerating it from the bytes before it
 * and the value it holds and comparing; if so it drops it and appends the new one to the bytes
 * before. Hence:
 * <ul>
 *   <li>a key written by this container has one value in the current Info dictionary, and one
 *       revision, however often it is rewritten;</li>
 *   <li>the result does not depend on the value replaced, and a value of the same length changes
 *       only that value's bytes (offsets do not move);</li>
 *   <li>the original's bytes stay a prefix of the output (its signatures, if any, stay valid).</li>
 * </ul>
 * Only the current Info dictionary counts: readers (this one, ExifTool, Acrobat) see the newest
 * revision. A value another tool left in an <em>earlier</em> revision is history, not a second
 * value, and is not removed: removing it would mean rewriting the original. The key twice in the
 * current Info dictionary is an error. Other incremental updates (drawing on a page) go below the
 * metadata revision through {@link #updateBelowMetadata}, so that it stays last.
 *
 * <p><b>Encryption.</b> A PDF is opened as viewers open it, with the empty user password
 * (standard security handler, RC4 40/128-bit, AES-128, AES-256; revisions 2-6). Reading needs
 * nothing more. Writing needs the permission to modify the document ({@link PdfEncryption}); the
 * revision's strings are then encrypted with the document's key for the Info object's number and
 * generation, its trailer repeats {@code /Encrypt} and {@code /ID}, and its cross-reference
 * stream, if any, is not encrypted (section 7.5.8). A file that needs a password to open is
 * refused, saying so.
 *
 * <p><b>Damage.</b> Viewers open files whose cross-reference is damaged by rebuilding it from the
 * objects; PDFBox does the same. {@link #notices} says when a file needed that ({@link PdfXref}
 * follows the chain as a strict reader would), so verify never presents an older revision's Info
 * as current without saying so. An incremental update on a damaged chain would point back into
 * it, so {@link #repaired} writes such a file whole (PDFBox's full save of what it rebuilt, with a
 * deterministic {@code /ID} when the file had none) and labelling marks that copy; {@link #check}
 * refuses a damaged file, and {@link #withMetadata} repairs before it appends. A file with no
 * document catalog or no pages is refused: no reader can show it.
 */
public final class PdfContainer implements Container {
    /** The comment line that starts a metadata revision (after one line feed). */
    public static final String MARKER = "%GB45438-AIGC label revision 1";

    private static final byte[] MARKER_LINE = ("\n" + MARKER + "\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final FormatSignature SIGNATURE = FormatSignature.binary("pdf", "application/pdf",
            List.of(".pdf"), Bytes.ascii("%PDF-")).withMagicWindow(1024);

    /** An incremental update of a PDF: the whole file with the update appended. */
    @FunctionalInterface
    public interface Update {
        byte[] apply(Asset pdf) throws FormatException;
    }

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /**
     * A PDF that opens with the empty password, has pages, may be modified, and whose
     * cross-reference chain is sound (PDFBox repairs a damaged file silently; an incremental update
     * on it would not be: {@link #repaired} first).
     */
    @Override
    public void check(Asset asset) throws FormatException {
        try (PDDocument doc = open(asset)) {
            requireShowable(doc, asset.name());
            Optional<PdfXref.Damage> damage = PdfXref.damage(asset.bytes());
            if (damage.isPresent()) {
                throw new FormatException(asset.name() + " is damaged: " + damage.get().en() + "; labelling repairs it "
                        + "(yuanjian label rewrites it whole first), or repair it yourself (e.g. qpdf in.pdf repaired.pdf)");
            }
            PdfEncryption.requireModifiable(doc, asset.name());
        } catch (IOException | RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
    }

    /**
     * Damage readers work around (the cross-reference rebuilt from the objects), how the file is
     * encrypted, and a C2PA manifest store when one is embedded (located, not validated).
     */
    @Override
    public List<Notice> notices(Asset asset) throws FormatException {
        List<Notice> notices = new ArrayList<>();
        try (PDDocument doc = open(asset)) {
            PdfXref.damage(asset.bytes()).ifPresent(d -> notices.add(new Notice("The PDF is damaged (" + d.en()
                    + "); it was read by rebuilding its cross-reference from the objects, as viewers do: what this "
                    + "report shows is what a viewer shows", "PDF 文件已损坏（" + d.zh() + "）；已按查看器的做法扫描对象重建"
                    + "交叉引用后读取，本报告所示即查看器所示")));
            if (doc.isEncrypted()) {
                notices.add(PdfEncryption.describe(doc));
            }
            if (PdfManifests.hasC2pa(doc)) {
                notices.add(new Notice("C2PA manifest present (not validated here)", "含有 C2PA 清单（此处未验证）"));
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
        return List.copyOf(notices);
    }

    /**
     * The file itself when its cross-reference chain is sound; else PDFBox's full save of what it
     * rebuilt from the objects, as viewers read it, with a notice. The rewrite is deterministic.
     *
     * @throws FormatException when the file has no catalog or no pages, or is encrypted as well as
     *     damaged (writing it whole would need the owner's password to encrypt it again)
     */
    @Override
    public Repaired repaired(Asset asset) throws FormatException {
        Optional<PdfXref.Damage> damage = PdfXref.damage(asset.bytes());
        if (damage.isEmpty()) {
            return Repaired.sound(asset);
        }
        return new Repaired(rewritten(asset, damage.get()), List.of(new Notice("The PDF was damaged (" + damage.get().en()
                + "); it was repaired as viewers read it (cross-reference rebuilt from the objects) and written whole "
                + "before labelling, so the original's bytes are not kept as they were (a digital signature in it no "
                + "longer holds)", "PDF 文件已损坏（" + damage.get().zh() + "）；已按查看器的读取方式修复（扫描对象重建交叉引用）"
                + "并整体重写后再添加标识，原文件字节未按原样保留（其中的数字签名不再有效）")));
    }

    /**
     * The string under {@code /NAME} in the current Info dictionary, decoded (PDFDocEncoding or
     *
     * UTF-16BE). A damaged file is read as viewers read it; {@link #notices} says so.
     *
     * @throws FormatException when the file is not a PDF or needs a password, the key appears
     *     twice in the Info dictionary, or its value is not a string
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        try (PDDocument doc = open(asset)) {
            return currentValue(asset, doc, key.name());
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    /**
     * The file with a metadata revision setting {@code /NAME} to {@code value} (see the class
     * comment); a damaged file is {@linkplain #repaired repaired} first.
     */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        return withValue(repaired(asset).asset(), key.name(), value);
    }

    /**
     * {@code update} applied below the metadata revision: when the file ends in one, the update is
     * made on the bytes before it and the same revision (same key, same value) is appended again on
     * top, so that it stays last and {@link #withMetadata} keeps replacing it instead of stacking a
     * second one. Without a metadata revision the update is made on the file as it is.
     */
    public Asset updateBelowMetadata(Asset asset, Update update) throws FormatException {
        byte[] b = asset.bytes();
        String key = null;
        String value = null;
        int start = b.length;
        try (PDDocument doc = open(asset)) {
            COSDictionary info = doc.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
            if (info != null) {
                for (Map.Entry<COSName, COSBase> e : info.entrySet()) {
                    String name = e.getKey().getName();
                    if (!(info.getDictionaryObject(e.getKey()) instanceof COSString s)) {
                        continue;
                    }
                    int at = revisionStart(asset, doc, name);
                    if (at < b.length) {
                        key = name;
                        value = s.getString();
                        start = at;
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
        if (key == null) {
            return asset.withBytes(update.apply(asset));
        }
        byte[] updated = update.apply(asset.withBytes(Arrays.copyOf(b, start)));
        return withValue(asset.withBytes(updated), key, value);
    }

    /**
     * Opens the PDF as viewers do (the empty user password; a damaged cross-reference rebuilt),
     * for reading or for an incremental update; the caller closes it. An encrypted document comes
     * back decrypted, and PDFBox encrypts what an incremental save writes with the document's key.
     *
     * @throws FormatException when the bytes are not a PDF, need a password, or cannot be parsed
     */
    public PDDocument open(Asset asset) throws FormatException {
        String name = asset.name();
        if (!SIGNATURE.matchesMagic(asset.bytes())) {
            throw new FormatException(name + " is not a PDF: %PDF- is not within its first 1,024 bytes; check the file");
        }
        int keywords = objectKeywords(asset.bytes(), MAX_OBJECTS + 1);
        if (keywords > MAX_OBJECTS) {
            throw tooManyObjects(name, "more than " + String.format(Locale.ROOT, "%,d", MAX_OBJECTS));
        }
        try {
            PDDocument doc = Loader.loadPDF(asset.bytes());
            // Objects PDFBox knows of, however it found them (cross-reference streams, a rebuild).
            int known = doc.getDocument().getXrefTable().size();
            if (known > MAX_OBJECTS) {
                doc.close();
                throw tooManyObjects(name, String.format(Locale.ROOT, "%,d", known));
            }
            return doc;
        } catch (InvalidPasswordException e) {
            throw PdfEncryption.needsPassword(name, e);
        } catch (IOException | RuntimeException e) {
            if (Bytes.indexOf(asset.bytes(), Bytes.ascii("Adobe.PubSec"), 0, asset.bytes().length) >= 0) {
                throw PdfEncryption.certificate(name, e);
            }
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("root object")) {
                // PDFBox searched every object for a catalog and found none (PdfRealWorldTest pins the message)
                throw noCatalog(name);
            }
            throw corrupt(name, e);
        }
    }

    /**
     * The most objects a PDF may have here. Parsing costs memory per object (a rebuilt
     * cross-reference, resolved objects, a repair's full save): a 58 MB file of a million tiny
     * objects took more than a 1 GB heap. A 1,000-page book has tens of thousands.
     */
    static final int MAX_OBJECTS = 200_000;

    private static FormatException tooManyObjects(String name, String count) {
        return new FormatException(name + " has " + count + " objects, more than the " + String.format(Locale.ROOT, "%,d",
                MAX_OBJECTS) + " this service reads (parsing costs memory per object); split the document, or optimise "
                + "it (e.g. qpdf --object-streams=generate) and try again");
    }

    /**
     * How many {@code obj} keywords (an indirect object's start) the bytes hold, counting up to
     * {@code limit}: a bound found before any parsing, so that a file of a million objects is refused
     * without building them.
     */
    static int objectKeywords(byte[] b, int limit) {
        int n = 0;
        for (int i = 1; i + 3 <= b.length && n < limit; i++) {
            if (b[i] == 'o' && b[i + 1] == 'b' && b[i + 2] == 'j' && PdfSyntax.isWhite(b[i - 1] & 0xff)
                    && (i + 3 == b.length || PdfSyntax.isWhite(b[i + 3] & 0xff) || PdfSyntax.isDelimiter(b[i + 3] & 0xff))) {
                n++;
            }
        }
        return n;
    }

    private static void requireShowable(PDDocument doc, String name) throws FormatException {
        if (!(doc.getDocument().getTrailer().getDictionaryObject(COSName.ROOT) instanceof COSDictionary)) {
            throw noCatalog(name);
        }
        if (doc.getNumberOfPages() == 0) {
            throw new FormatException(name + " has no pages, so no reader can show anything of it; it cannot be "
                    + "labelled. Get a fresh copy of the file");
        }
    }

    private static FormatException noCatalog(String name) {
        return new FormatException(name + " has no document catalog (/Root), so no reader can show it; it cannot be "
                + "read or labelled. Get a fresh copy of the file");
    }

    /** PDFBox's full save of the document it rebuilt from a damaged file. */
    private Asset rewritten(Asset asset, PdfXref.Damage damage) throws FormatException {
        try (PDDocument doc = open(asset)) {
            requireShowable(doc, asset.name());
            if (doc.isEncrypted()) {
                throw new FormatException(asset.name() + " is encrypted and damaged (" + damage.en() + "): repairing it "
                        + "means writing it whole, which would need the owner's password to encrypt it again. Repair it "
                        + "with a tool that keeps the encryption (e.g. qpdf in.pdf repaired.pdf), then label the repaired file");
            }
            COSDictionary trailer = doc.getDocument().getTrailer();
            if (!(trailer.getDictionaryObject(COSName.ID) instanceof COSArray id) || id.size() != 2) {
                // PDFBox would make an /ID from the clock; this one keeps the rewrite a function of the input.
                COSString first = new COSString(Arrays.copyOf(sha256(asset.bytes()), 16));
                COSArray ids = new COSArray();
                ids.add(first);
                ids.add(first);
                trailer.setItem(COSName.ID, ids);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(asset.bytes().length + 1024);
            doc.save(out);
            return asset.withBytes(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Asset withValue(Asset asset, String key, String value) throws FormatException {
        byte[] b = asset.bytes();
        try (PDDocument doc = open(asset)) {
            int start = revisionStart(asset, doc, key);
            if (start == b.length) {
                return asset.withBytes(Bytes.concat(b, revision(b, doc, key, value, asset.name())));
            }
            byte[] original = Arrays.copyOf(b, start);
            try (PDDocument originalDoc = open(asset.withBytes(original))) {
                return asset.withBytes(Bytes.concat(original, revision(original, originalDoc, key, value, asset.name())));
            }
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    private static FormatException corrupt(String name, Exception e) {
        return new FormatException(name + " is a corrupt or truncated PDF (" + e.getMessage()
                + "); get a fresh copy, or repair it (e.g. qpdf in.pdf repaired.pdf) and try again", e);
    }

    /** The value of {@code key} in the current Info dictionary; refuses the key twice in it. */
    private static Optional<String> currentValue(Asset asset, PDDocument doc, String key) throws FormatException {
        COSDictionary info;
        try {
            info = doc.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
        } catch (RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
        if (info == null) {
            return Optional.empty();
        }
        COSBase value = info.getDictionaryObject(COSName.getPDFName(key));
        if (value == null) {
            return Optional.empty();
        }
        List<PdfSyntax.Entry> raw = rawInfo(asset.bytes(), doc);
        if (raw != null && raw.stream().filter(e -> e.key().equals(key)).count() > 1) {
            throw new FormatException(asset.name() + " has two /" + key + " keys in its Info dictionary; a key holds "
                    + "one value: write the value again to replace both");
        }
        if (!(value instanceof COSString s)) {
            throw new FormatException(asset.name() + " Info dictionary /" + key + " must be a string, found "
                    + value.getClass().getSimpleName().replace("COS", "").toLowerCase(Locale.ROOT)
                    + "; write the value again to replace it");
        }
        return Optional.of(s.getString());
    }

    /** The current Info object's entries as they sit in the file, or null when it is not there as such. */
    private static List<PdfSyntax.Entry> rawInfo(byte[] b, PDDocument doc) {
        COSBase ref = doc.getDocument().getTrailer().getItem(COSName.INFO);
        if (!(ref instanceof COSObject o)) {
            return null;
        }
        COSObjectKey key = o.getKey();
        Long offset = key == null ? null : doc.getDocument().getXrefTable().get(key);
        if (offset == null || offset < 0 || offset >= b.length) {
            return null; // compressed in an object stream
        }
        return PdfSyntax.objectDictionary(b, (int) (long) offset, key.getNumber(), key.getGeneration());
    }

    /**
     * Where the metadata revision for {@code key} that this container appended starts (its leading
     * line feed), or the file's length when the file does not end in one. Proven by regeneration,
     * never assumed from the marker alone: a PDF embedded uncompressed in another could carry the
     * marker too.
     */
    private static int revisionStart(Asset asset, PDDocument doc, String key) {
        byte[] b = asset.bytes();
        int m = Bytes.lastIndexOf(b, MARKER_LINE, 0, b.length);
        if (m <= 0) {
            return b.length;
        }
        try {
            Optional<String> value = currentValue(asset, doc, key);
            if (value.isEmpty()) {
                return b.length;
            }
            byte[] original = Arrays.copyOf(b, m);
            try (PDDocument originalDoc = Loader.loadPDF(original)) {
                byte[] again = revision(original, originalDoc, key, value.get(), asset.name());
                return Arrays.equals(b, m, b.length, again, 0, again.length) ? m : b.length;
            }
        } catch (FormatException | IOException | RuntimeException e) {
            return b.length;
        }
    }

    /**
     * The metadata revision for {@code original}: a pure function of its arguments. Its
     * cross-reference section has the kind of the file's last one, so readers that dislike mixed
     * files are happy.
     */
    private static byte[] revision(byte[] original, PDDocument doc, String key, String value, String name)
            throws FormatException {
        long prev = PdfXref.lastStartXref(original);
        if (prev < 0) {
            throw new IllegalStateException("a metadata revision is appended to a sound file only; repaired() comes first");
        }
        boolean stream = !Bytes.startsWith(original, PdfSyntax.skipWhite(original, (int) prev), Bytes.ascii("xref"));
        COSDictionary trailer = doc.getDocument().getTrailer();
        COSBase root = trailer.getItem(COSName.ROOT);
        if (!(root instanceof COSObject)) {
            throw new FormatException(name + " has no document catalog reference in its trailer; repair it "
                    + "(e.g. qpdf in.pdf repaired.pdf) and try again");
        }
        long size = Math.max(trailer.getLong(COSName.SIZE), doc.getDocument().getHighestXRefObjectNumber() + 1);
        COSBase infoRef = trailer.getItem(COSName.INFO);
        long infoNumber;
        int infoGeneration;
        if (infoRef instanceof COSObject o && o.getKey() != null) {
            infoNumber = o.getKey().getNumber();
            infoGeneration = o.getKey().getGeneration();
        } else {
            infoNumber = size++;
            infoGeneration = 0;
        }
        COSDictionary oldInfo = trailer.getCOSDictionary(COSName.INFO);
        COSName keyName = COSName.getPDFName(key);
        COSBase encoded = new COSString(encode(value));

        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes(MARKER_LINE);
        long infoOffset = original.length + out.size();
        PdfSyntax.ascii(out, infoNumber + " " + infoGeneration + " obj\n<<");
        boolean written = false;
        if (oldInfo != null) {
            for (var e : oldInfo.entrySet()) {
                PdfSyntax.ascii(out, "\n");
                PdfSyntax.write(e.getKey(), out);
                out.write(' ');
                if (e.getKey().equals(keyName)) {
                    writeString(doc, encoded, infoNumber, infoGeneration, out);
                    written = true;
                } else {
                    try {
                        PdfSyntax.write(PdfEncryption.encrypted(doc, e.getValue(), infoNumber, infoGeneration), out);
                    } catch (IOException | IllegalArgumentException ex) {
                        throw new FormatException(name + ": the Info dictionary entry /" + e.getKey().getName()
                                + " cannot be copied (" + ex.getMessage() + "); repair the file and try again", ex);
                    }
                }
            }
        }
        if (!written) {
            PdfSyntax.ascii(out, "\n");
            PdfSyntax.write(keyName, out);
            out.write(' ');
            writeString(doc, encoded, infoNumber, infoGeneration, out);
        }
        PdfSyntax.ascii(out, "\n>>\nendobj\n");

        ByteArrayOutputStream tail = new ByteArrayOutputStream(256);
        PdfSyntax.write(root, tail);
        String rootRef = tail.toString(StandardCharsets.ISO_8859_1);
        String id = "";
        COSBase idValue = trailer.getDictionaryObject(COSName.ID);
        if (idValue instanceof COSArray) {
            tail.reset();
            PdfSyntax.write(idValue, tail);
            id = "/ID " + tail.toString(StandardCharsets.ISO_8859_1);
        }
        String encrypt = "";
        COSBase encryptValue = trailer.getItem(COSName.ENCRYPT);
        if (encryptValue != null) {
            // Every trailer of an encrypted file repeats /Encrypt (ISO 32000-1 7.5.6); its strings are never encrypted.
            tail.reset();
            PdfSyntax.write(encryptValue, tail);
            encrypt = "/Encrypt " + tail.toString(StandardCharsets.ISO_8859_1);
        }
        String common = "/Root " + rootRef + "/Info " + infoNumber + " " + infoGeneration + " R" + id + encrypt
                + "/Prev " + prev;
        long xrefOffset = original.length + out.size();
        if (stream) {
            long xrefNumber = size++;
            byte[] data = new byte[14];
            putEntry(data, 0, infoOffset, infoGeneration);
            putEntry(data, 7, xrefOffset, 0);
            PdfSyntax.ascii(out, xrefNumber + " 0 obj\n<</Type/XRef/Size " + size + "/Index [" + infoNumber + " 1 "
                    + xrefNumber + " 1]/W [1 4 2]" + common + "/Length " + data.length + ">>\nstream\n");
            out.writeBytes(data);
            PdfSyntax.ascii(out, "\nendstream\nendobj\n");
        } else {
            size = Math.max(size, infoNumber + 1);
            PdfSyntax.ascii(out, "xref\n" + infoNumber + " 1\n" + String.format("%010d %05d n\r\n", infoOffset, infoGeneration)
                    + "trailer\n<</Size " + size + common + ">>\n");
        }
        PdfSyntax.ascii(out, "startxref\n" + xrefOffset + "\n%%EOF\n");
        return out.toByteArray();
    }

    /**
     * A PDF text string's bytes: ASCII when every character is printable ASCII, tab or a line break
     * (PDFDocEncoding agrees with ASCII there, and the value stays readable in the file), else
     * UTF-16BE after a byte order mark.
     */
    private static byte[] encode(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e) {
                return Bytes.concat(new byte[] {(byte) 0xfe, (byte) 0xff}, value.getBytes(StandardCharsets.UTF_16BE));
            }
        }
        return Bytes.ascii(value);
    }

    private static void putEntry(byte[] data, int at, long offset, int generation) {
        data[at] = 1;
        for (int k = 0; k < 4; k++) {
            data[at + 1 + k] = (byte) (offset >>> (24 - 8 * k));
        }
        data[at + 5] = (byte) (generation >>> 8);
        data[at + 6] = (byte) generation;
    }

    /**
     * Our value as the Info object holds it: a literal string, readable in the file, when the
     * document is not encrypted; else encrypted for object {@code num gen}, in hex.
     */
    private static void writeString(PDDocument doc, COSBase value, long num, int gen, ByteArrayOutputStream out)
            throws FormatException {
        try {
            COSBase written = PdfEncryption.encrypted(doc, value, num, gen);
            if (written == value) {
                PdfSyntax.writeLiteral(((COSString) value).getBytes(), out);
            } else {
                PdfSyntax.write(written, out);
            }
        } catch (IOException e) {
            throw new FormatException("cannot encrypt the label with the PDF's key (" + e.getMessage() + ")", e);
        }
    }
}
