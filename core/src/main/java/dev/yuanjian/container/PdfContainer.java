package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * breaks) as is, anything else as UTF-16BE with a byte order mark, as PDF text strings are.
 *
 * <p><b>Metadata revision.</b> {@link #withMetadata} never rewrites the original: it appends one
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
 * <p>Encrypted PDFs are refused: the value would have to be encrypted with the document's key.
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
     * A PDF PDFBox reads, not encrypted, whose last {@code startxref} points at a cross-reference
     * section (PDFBox repairs a damaged file silently; an incremental update on it would not be).
     */
    @Override
    public void check(Asset asset) throws FormatException {
        try (PDDocument doc = open(asset)) {
            startXref(asset.bytes(), asset.name());
        } catch (IOException e) {
            throw corrupt(asset.name(), e);
        }
    }

    /**
     * The string under {@code /NAME} in the current Info dictionary, decoded (PDFDocEncoding or
     * UTF-16BE).
     *
     * @throws FormatException when the file is not a readable unencrypted PDF, its last
     *     cross-reference section cannot be found (a truncated file: PDFBox would rebuild an older
     *     trailer and report an older revision's Info as current), the key appears twice in the Info
     *     dictionary, or its value is not a string
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        try (PDDocument doc = open(asset)) {
            startXref(asset.bytes(), asset.name());
            return currentValue(asset, doc, key.name());
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    /** The file with a metadata revision setting {@code /NAME} to {@code value} (see the class comment). */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        return withValue(asset, key.name(), value);
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
     * Opens the PDF for reading or for an incremental update; the caller closes it.
     *
     * @throws FormatException when the bytes are not a PDF, are encrypted, or cannot be parsed
     */
    public PDDocument open(Asset asset) throws FormatException {
        String name = asset.name();
        if (!SIGNATURE.matchesMagic(asset.bytes())) {
            throw new FormatException(name + " is not a PDF: %PDF- is not within its first 1,024 bytes; check the file");
        }
        PDDocument doc;
        try {
            doc = Loader.loadPDF(asset.bytes());
        } catch (InvalidPasswordException e) {
            throw encrypted(name, e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(name, e);
        }
        if (doc.isEncrypted()) {
            try {
                doc.close();
            } catch (IOException ignored) {
                // nothing was written; closing only frees buffers
            }
            throw encrypted(name, null);
        }
        return doc;
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

    private static FormatException encrypted(String name, Exception cause) {
        return new FormatException(name + " is an encrypted PDF; metadata cannot be added without the owner's "
                + "key. Remove the encryption (e.g. qpdf --decrypt in.pdf out.pdf), then try again", cause);
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
        long prev = startXref(original, name);
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
        byte[] encoded = encode(value);

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
                    PdfSyntax.writeLiteral(encoded, out);
                    written = true;
                } else {
                    try {
                        PdfSyntax.write(e.getValue(), out);
                    } catch (IllegalArgumentException ex) {
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
            PdfSyntax.writeLiteral(encoded, out);
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
        String common = "/Root " + rootRef + "/Info " + infoNumber + " " + infoGeneration + " R" + id + "/Prev " + prev;
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

    /** The file's last {@code startxref} value, checked to point at a cross-reference section. */
    private static long startXref(byte[] b, String name) throws FormatException {
        int at = Bytes.lastIndexOf(b, Bytes.ascii("startxref"), Math.max(0, b.length - 4096), b.length);
        String advice = "; repair it first (e.g. qpdf in.pdf repaired.pdf), then try again with the repaired file";
        if (at < 0) {
            throw new FormatException(name + " has no startxref near its end (truncated?)" + advice);
        }
        int i = PdfSyntax.skipWhite(b, at + 9);
        long v = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 12) {
            v = v * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits == 0 || v >= b.length) {
            throw new FormatException(name + " has a startxref that points outside the file" + advice);
        }
        // Objects after the last startxref are a revision whose own startxref was cut off: reading
        // the earlier one would report an older revision's metadata as current.
        int eof = Bytes.indexOf(b, Bytes.ascii("%%EOF"), i, b.length);
        int tail = eof < 0 ? b.length : eof + 5;
        if (Bytes.indexOf(b, Bytes.ascii(" obj"), tail, b.length) >= 0 || Bytes.indexOf(b, Bytes.ascii("trailer"), tail, b.length) >= 0
                || Bytes.indexOf(b, Bytes.ascii("xref"), tail, b.length) >= 0) {
            throw new FormatException(name + " ends in an incremental update without its startxref (truncated?)" + advice);
        }
        int x = PdfSyntax.skipWhite(b, (int) v);
        boolean table = Bytes.startsWith(b, x, Bytes.ascii("xref"));
        boolean object = x < b.length && b[x] >= '0' && b[x] <= '9'
                && Bytes.indexOf(b, Bytes.ascii("obj"), x, Math.min(b.length, x + 24)) > 0;
        if (!table && !object) {
            throw new FormatException(name + " has a damaged cross-reference offset (startxref " + v
                    + " points at neither a table nor a stream)" + advice);
        }
        return v;
    }
}
