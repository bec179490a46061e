package dev.yuanjian.label;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.util.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PDF. The implicit label is the key {@code /AIGC} of the document information dictionary (the
 * trailer's {@code /Info}), a literal string holding the wrapped label JSON; the explicit label is
 * a line of text drawn at the top of the first page (START) or the bottom of the last (END).
 *
 * <p><b>Label revision.</b> {@link #write} never rewrites the original: it appends one incremental
 * update, the <em>label revision</em>, holding only a new Info dictionary (the old one's entries
 * plus {@code /AIGC}) and its cross-reference section (a table or a stream, as the file's last
 * section was), marked by the comment line {@value #MARKER}. The revision is a pure function of the
 * bytes before it and the label: written twice it is the same bytes. Before appending, the codec
 * checks whether the file already ends in a label revision, by regenerating that revision from the
 * bytes before it and the label it holds and comparing; if so it drops it and appends the new one
 * to the original. Hence:
 * <ul>
 *   <li>a file labelled by this codec carries one {@code /AIGC}, however often it is relabelled;</li>
 *   <li>relabelling with a {@code ReservedCode1} of the same length changes only that value's
 *       bytes (offsets do not move), so {@link #protectedDigest} is unchanged: write with a
 *       placeholder, digest, sign, write again with the signature;</li>
 *   <li>the original's bytes stay a prefix of the output (its signatures, if any, stay valid).</li>
 * </ul>
 * Only the current Info dictionary counts: readers (this one, ExifTool, Acrobat) see the newest
 * revision. An {@code /AIGC} that another tool left in an <em>earlier</em> revision is history, not a
 * second label, and is not removed: removing it would mean rewriting the original. Two {@code /AIGC}
 * keys in the current Info dictionary are an error.
 *
 * <p><b>Protected digest:</b> SHA-256 of the file with the bytes of the {@code ReservedCode1} value
 * cut out, as they appear (still PDF-escaped, between its JSON quotes) inside the {@code /AIGC}
 * string of the current Info object. An unlabelled file, or an empty value, gives the plain SHA-256.
 *
 * <p><b>Explicit label font.</b> Chinese wording needs a font with TrueType outlines: PDFBox 3 cannot
 * subset CFF-outline OpenType (Noto Sans CJK's .ttc fails at save). The codec tries
 * {@link #DEFAULT_CJK_FONTS} in order (Debian {@code fonts-wqy-zenhei} first) and falls back to the
 * English wording in Helvetica (a Standard 14 font, not embedded) when none is usable. It is drawn
 * as an incremental update too, at the top or bottom of the page as displayed ({@code /Rotate}
 * honoured), 10 pt, black, 36 pt from the left edge.
 *
 * <p>Encrypted PDFs are refused: the label would have to be encrypted with the document's key.
 */
public final class PdfCodec implements LabelCodec {
    /** The comment line that starts a label revision (after one line feed). */
    public static final String MARKER = "%GB45438-AIGC label revision 1";

    /** TrueType-outline CJK fonts of Debian packages, best first. */
    public static final List<Path> DEFAULT_CJK_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),       // fonts-wqy-zenhei
            Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),     // fonts-wqy-microhei
            Path.of("/usr/share/fonts/truetype/arphic/uming.ttc"),         // fonts-arphic-uming
            Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")); // fonts-droid-fallback

    static final float FONT_SIZE = 10f;
    static final float MARGIN = 36f;
    private static final COSName AIGC = COSName.getPDFName("AIGC");
    private static final byte[] MARKER_LINE = ("\n" + MARKER + "\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final Logger LOG = LoggerFactory.getLogger(PdfCodec.class);

    private final List<Path> cjkFonts;

    public PdfCodec() {
        this(DEFAULT_CJK_FONTS);
    }

    /** @param cjkFonts TrueType (.ttf) or TrueType collection (.ttc) files to try for Chinese wording */
    public PdfCodec(List<Path> cjkFonts) {
        this.cjkFonts = List.copyOf(cjkFonts);
    }

    @Override
    public String format() {
        return "pdf";
    }

    @Override
    public String mediaType() {
        return "application/pdf";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return Codecs.isPdf(head);
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        try (PDDocument doc = load(asset.bytes(), asset.name())) {
            return currentLabel(asset, doc);
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        byte[] b = asset.bytes();
        try (PDDocument doc = load(b, asset.name())) {
            int start = labelRevisionStart(asset, doc);
            if (start == b.length) {
                return asset.withBytes(Bytes.concat(b, labelRevision(b, doc, label, asset.name())));
            }
            byte[] original = Arrays.copyOf(b, start);
            try (PDDocument originalDoc = load(original, asset.name())) {
                return asset.withBytes(Bytes.concat(original, labelRevision(original, originalDoc, label, asset.name())));
            }
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        Optional<AigcLabel> label;
        byte[] original;
        String sample;
        try (PDDocument doc = load(b, asset.name())) {
            startXref(b, asset.name()); // refuse a damaged file before PDFBox's repairs hide it
            if (doc.getNumberOfPages() == 0) {
                throw new LabelFormatException(asset.name() + " has no pages to draw the explicit label on");
            }
            if (present(edgePagesText(doc), explicit)) {
                return asset;
            }
            sample = text(doc, 1, Math.min(2, doc.getNumberOfPages()));
            int start = labelRevisionStart(asset, doc);
            label = start < b.length ? currentLabel(asset, doc) : Optional.empty();
            original = start < b.length ? Arrays.copyOf(b, start) : b;
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
        // The label revision must stay last (so relabelling replaces it): draw on the original,
        // then put the same label back on top.
        Asset drawn = asset.withBytes(draw(original, explicit, sample, asset.name()));
        return label.isPresent() ? write(drawn, label.get()) : drawn;
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        try (PDDocument doc = load(asset.bytes(), asset.name())) {
            return present(edgePagesText(doc), explicit);
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    @Override
    public byte[] protectedDigest(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        try (PDDocument doc = load(b, asset.name())) {
            Optional<AigcLabel> label = currentLabel(asset, doc);
            if (label.isEmpty()) {
                return Bytes.sha256(b);
            }
            String where = where(asset);
            PdfSyntax.Entry entry = rawAigcEntry(b, doc);
            if (entry == null || (b[entry.valueStart()] != '(' && b[entry.valueStart()] != '<')) {
                if (label.get().reservedCode1().isEmpty()) {
                    return Bytes.sha256(b);
                }
                throw new LabelFormatException(where + ": the label is stored where its bytes cannot be cut out "
                        + "(inside a compressed object stream or an indirect object), so no digest can protect "
                        + "ReservedCode1; write the label again with this codec");
            }
            String src = new String(b, entry.valueStart(), entry.valueEnd() - entry.valueStart(),
                    StandardCharsets.ISO_8859_1);
            LabelText text = b[entry.valueStart()] == '('
                    ? LabelText.pdfLiteral(src, 1, src.length() - 1)
                    : LabelText.pdfHex(src, 1, src.length() - 1);
            Optional<LabelText.Span> span = text.reservedCode1(where);
            if (span.isEmpty()) {
                return Bytes.sha256(b);
            }
            int base = entry.valueStart();
            return Bytes.sha256Excluding(b, base + span.get().start(), base + span.get().end());
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with unchecked exceptions too.
            throw corrupt(asset.name(), e);
        }
    }

    private static String where(Asset asset) {
        return asset.name() + " Info dictionary /AIGC";
    }

    /** Loads the PDF; refuses what is not one and what is encrypted. */
    private static PDDocument load(byte[] b, String name) throws LabelFormatException {
        if (!Codecs.isPdf(b)) {
            throw new LabelFormatException(name + " is not a PDF: it does not start with %PDF-; check the file");
        }
        PDDocument doc;
        try {
            doc = Loader.loadPDF(b);
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

    private static LabelFormatException encrypted(String name, Exception cause) {
        return new LabelFormatException(name + " is an encrypted PDF; a label cannot be added without the owner's "
                + "key. Remove the encryption (e.g. qpdf --decrypt in.pdf out.pdf), label, then encrypt again", cause);
    }

    private static LabelFormatException corrupt(String name, Exception e) {
        return new LabelFormatException(name + " is a corrupt or truncated PDF (" + e.getMessage()
                + "); get a fresh copy, or repair it (e.g. qpdf in.pdf repaired.pdf) and try again", e);
    }

    /** The label of the current Info dictionary; refuses two {@code /AIGC} keys in it. */
    private static Optional<AigcLabel> currentLabel(Asset asset, PDDocument doc) throws LabelFormatException {
        String where = where(asset);
        COSDictionary info;
        try {
            info = doc.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
        } catch (RuntimeException e) {
            throw corrupt(asset.name(), e);
        }
        if (info == null) {
            return Optional.empty();
        }
        COSBase value = info.getDictionaryObject(AIGC);
        if (value == null) {
            return Optional.empty();
        }
        List<PdfSyntax.Entry> raw = rawInfo(asset.bytes(), doc);
        if (raw != null && raw.stream().filter(e -> e.key().equals("AIGC")).count() > 1) {
            throw new LabelFormatException(asset.name() + " has two /AIGC keys in its Info dictionary; a file carries "
                    + "one implicit label: write the label again to replace both");
        }
        if (!(value instanceof COSString s)) {
            throw new LabelFormatException("the AIGC label in " + where + " must be a string, found "
                    + value.getClass().getSimpleName().replace("COS", "").toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(AigcLabel.parse(s.getString(), where));
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

    private static PdfSyntax.Entry rawAigcEntry(byte[] b, PDDocument doc) {
        List<PdfSyntax.Entry> raw = rawInfo(b, doc);
        if (raw == null) {
            return null;
        }
        return raw.stream().filter(e -> e.key().equals("AIGC")).findFirst().orElse(null);
    }

    /**
     * Where the label revision this codec appended starts (its leading line feed), or the file's
     * length when the file does not end in one. Proven by regeneration, never assumed from the
     * marker alone: a PDF embedded uncompressed in another could carry the marker too.
     */
    private static int labelRevisionStart(Asset asset, PDDocument doc) {
        byte[] b = asset.bytes();
        int m = Bytes.lastIndexOf(b, MARKER_LINE, 0, b.length);
        if (m <= 0) {
            return b.length;
        }
        try {
            Optional<AigcLabel> label = currentLabel(asset, doc);
            if (label.isEmpty()) {
                return b.length;
            }
            byte[] original = Arrays.copyOf(b, m);
            try (PDDocument originalDoc = Loader.loadPDF(original)) {
                byte[] again = labelRevision(original, originalDoc, label.get(), asset.name());
                return Arrays.equals(b, m, b.length, again, 0, again.length) ? m : b.length;
            }
        } catch (LabelFormatException | IOException | RuntimeException e) {
            return b.length;
        }
    }

    /**
     * The label revision for {@code original}: a pure function of its arguments. Its cross-reference
     * section has the kind of the file's last one, so readers that dislike mixed files are happy.
     */
    static byte[] labelRevision(byte[] original, PDDocument doc, AigcLabel label, String name) throws LabelFormatException {
        long prev = startXref(original, name);
        boolean stream = !Bytes.startsWith(original, PdfSyntax.skipWhite(original, (int) prev), Bytes.ascii("xref"));
        COSDictionary trailer = doc.getDocument().getTrailer();
        COSBase root = trailer.getItem(COSName.ROOT);
        if (!(root instanceof COSObject)) {
            throw new LabelFormatException(name + " has no document catalog reference in its trailer; repair it "
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
                if (e.getKey().equals(AIGC)) {
                    PdfSyntax.writeLiteral(Bytes.ascii(label.toWrappedJson()), out);
                    written = true;
                } else {
                    try {
                        PdfSyntax.write(e.getValue(), out);
                    } catch (IllegalArgumentException ex) {
                        throw new LabelFormatException(name + ": the Info dictionary entry /" + e.getKey().getName()
                                + " cannot be copied (" + ex.getMessage() + "); repair the file and try again", ex);
                    }
                }
            }
        }
        if (!written) {
            PdfSyntax.ascii(out, "\n/AIGC ");
            PdfSyntax.writeLiteral(Bytes.ascii(label.toWrappedJson()), out);
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

    private static void putEntry(byte[] data, int at, long offset, int generation) {
        data[at] = 1;
        for (int k = 0; k < 4; k++) {
            data[at + 1 + k] = (byte) (offset >>> (24 - 8 * k));
        }
        data[at + 5] = (byte) (generation >>> 8);
        data[at + 6] = (byte) generation;
    }

    /** The file's last {@code startxref} value, checked to point at a cross-reference section. */
    private static long startXref(byte[] b, String name) throws LabelFormatException {
        int at = Bytes.lastIndexOf(b, Bytes.ascii("startxref"), Math.max(0, b.length - 4096), b.length);
        String advice = "; repair it first (e.g. qpdf in.pdf repaired.pdf), then label the repaired file";
        if (at < 0) {
            throw new LabelFormatException(name + " has no startxref near its end (truncated?)" + advice);
        }
        int i = PdfSyntax.skipWhite(b, at + 9);
        long v = 0;
        int digits = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && digits < 12) {
            v = v * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits == 0 || v >= b.length) {
            throw new LabelFormatException(name + " has a startxref that points outside the file" + advice);
        }
        int x = PdfSyntax.skipWhite(b, (int) v);
        boolean table = Bytes.startsWith(b, x, Bytes.ascii("xref"));
        boolean object = x < b.length && b[x] >= '0' && b[x] <= '9'
                && Bytes.indexOf(b, Bytes.ascii("obj"), x, Math.min(b.length, x + 24)) > 0;
        if (!table && !object) {
            throw new LabelFormatException(name + " has a damaged cross-reference offset (startxref " + v
                    + " points at neither a table nor a stream)" + advice);
        }
        return v;
    }

    /** The text of the first and the last page, with white space removed (extraction adds some). */
    private static String edgePagesText(PDDocument doc) throws IOException {
        int n = doc.getNumberOfPages();
        if (n == 0) {
            return "";
        }
        String first = text(doc, 1, 1);
        return n == 1 ? first : first + text(doc, n, n);
    }

    private static String text(PDDocument doc, int from, int to) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(from);
        stripper.setEndPage(to);
        return stripper.getText(doc);
    }

    private static boolean present(String text, ExplicitLabel explicit) {
        String t = squeeze(text);
        return t.contains(squeeze(explicit.chinese())) || t.contains(squeeze(explicit.english()));
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }

    /** {@code original} plus an incremental update drawing the wording on the first or last page. */
    private byte[] draw(byte[] original, ExplicitLabel explicit, String sample, String name) throws LabelFormatException {
        // An incremental update needs a sound last cross-reference section to point back to.
        startXref(original, name);
        List<Closeable> fontFiles = new ArrayList<>();
        try (PDDocument doc = load(original, name)) {
            String wording = explicit.wordingFor(sample);
            PDFont font = helveticaIfItCan(wording);
            if (font == null) {
                font = cjkFont(doc, wording, fontFiles);
            }
            if (font == null) {
                LOG.warn("{}: no TrueType CJK font found (tried {}); drawing the English wording instead. "
                        + "Install Debian package fonts-wqy-zenhei.", name, cjkFonts);
                wording = explicit.english();
                font = helveticaIfItCan(wording);
                if (font == null) {
                    throw new LabelFormatException("no font can draw the explicit label \"" + wording
                            + "\"; install fonts-wqy-zenhei or use Latin-1 wording");
                }
            }
            boolean start = explicit.position() == ExplicitLabel.Position.START;
            PDPage page = doc.getPage(start ? 0 : doc.getNumberOfPages() - 1);
            ownResources(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND,
                    true, true)) {
                cs.beginText();
                cs.setNonStrokingColor(0f);
                cs.setFont(font, FONT_SIZE);
                cs.setTextMatrix(placement(page, start));
                cs.showText(wording);
                cs.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + 64 * 1024);
            // PDFBox 3 records every change made through its model and writes exactly those objects.
            doc.saveIncremental(out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new LabelFormatException(name + ": cannot draw the explicit label (" + e.getMessage() + ")", e);
        } finally {
            for (Closeable c : fontFiles) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read-only font file
                }
            }
        }
    }

    /**
     * Gives the page its own /Resources when it inherits them from the page tree. PDFBox would add
     * the label's font to the inherited dictionary, which the incremental update does not rewrite
     * (it belongs to a node we did not change): the font would be missing from the saved file.
     * The copy is shallow; a direct /Font dictionary is copied too, so the parent stays as it was.
     */
    private static void ownResources(PDPage page) {
        COSDictionary pageDict = page.getCOSObject();
        if (pageDict.getDictionaryObject(COSName.RESOURCES) != null) {
            return;
        }
        COSDictionary copy = new COSDictionary();
        PDResources inherited = page.getResources();
        if (inherited != null) {
            for (var e : inherited.getCOSObject().entrySet()) {
                copy.setItem(e.getKey(), e.getValue());
            }
            if (copy.getItem(COSName.FONT) instanceof COSDictionary fonts) {
                COSDictionary fontsCopy = new COSDictionary();
                for (var e : fonts.entrySet()) {
                    fontsCopy.setItem(e.getKey(), e.getValue());
                }
                copy.setItem(COSName.FONT, fontsCopy);
            }
        }
        // Through setResources, not the dictionary: PDPage caches the PDResources it handed out.
        page.setResources(new PDResources(copy));
    }

    /**
     * The text matrix that puts a left-to-right line at the top-left (START) or bottom-left (END)
     * of the page <em>as displayed</em>, honouring {@code /Rotate}: on a rotated page the visual top
     * is another edge of the crop box, and the text must turn with it.
     */
    static Matrix placement(PDPage page, boolean top) {
        PDRectangle box = page.getCropBox();
        float llx = box.getLowerLeftX();
        float lly = box.getLowerLeftY();
        float urx = box.getUpperRightX();
        float ury = box.getUpperRightY();
        float m = MARGIN;
        // Distance of the baseline from the visual top or bottom edge.
        float d = top ? MARGIN / 2 + FONT_SIZE : MARGIN / 2;
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        return switch (rotation) {
            case 90 -> top ? new Matrix(0, 1, -1, 0, llx + d, lly + m) : new Matrix(0, 1, -1, 0, urx - d, lly + m);
            case 180 -> top ? new Matrix(-1, 0, 0, -1, urx - m, lly + d) : new Matrix(-1, 0, 0, -1, urx - m, ury - d);
            case 270 -> top ? new Matrix(0, -1, 1, 0, urx - d, ury - m) : new Matrix(0, -1, 1, 0, llx + d, ury - m);
            default -> top ? new Matrix(1, 0, 0, 1, llx + m, ury - d) : new Matrix(1, 0, 0, 1, llx + m, lly + d);
        };
    }

    private static PDFont helveticaIfItCan(String wording) {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try {
            helvetica.encode(wording);
            return helvetica;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The first candidate font with TrueType outlines and a glyph for every character of {@code text}. */
    private PDFont cjkFont(PDDocument doc, String text, List<Closeable> open) {
        for (Path path : cjkFonts) {
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                List<TrueTypeFont> fonts = new ArrayList<>();
                if (path.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
                    TrueTypeCollection ttc = new TrueTypeCollection(path.toFile());
                    open.add(ttc);
                    ttc.processAllFonts(fonts::add);
                } else {
                    TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(path.toFile()));
                    open.add(ttf);
                    fonts.add(ttf);
                }
                for (TrueTypeFont ttf : fonts) {
                    if (ttf instanceof OpenTypeFont otf && otf.isPostScript()) {
                        continue; // CFF outlines: PDFBox cannot subset them
                    }
                    if (covers(ttf, text)) {
                        return PDType0Font.load(doc, ttf, true);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("font {} unusable: {}", path, e.toString());
            }
        }
        return null;
    }

    private static boolean covers(TrueTypeFont ttf, String text) throws IOException {
        var cmap = ttf.getUnicodeCmapLookup(false);
        if (cmap == null) {
            return false;
        }
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || cmap.getGlyphId(cp) != 0);
    }
}
