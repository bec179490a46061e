package dev.yuanjian.label;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The codecs the product knows, and the choice of one for a file by its name and its bytes.
 * Magic bytes outrank the name: a {@code .pdf} that does not start with {@code %PDF-} is refused
 * rather than labelled as something else.
 */
public final class Codecs {
    private static final byte[] PDF_MAGIC = Bytes.ascii("%PDF-");
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] DOCX_MAIN_PART = Bytes.ascii("word/document.xml");
    private static final String SUPPORTED = "supported: .md .markdown .docx .pdf .png .jpg .jpeg .txt";

    private final List<LabelCodec> codecs;

    private Codecs(List<LabelCodec> codecs) {
        this.codecs = List.copyOf(codecs);
    }

    /** Markdown, DOCX, PDF, PNG, JPEG and plain text, each with its default settings. */
    public static Codecs standard() {
        return new Codecs(List.of(new MarkdownCodec(), new DocxCodec(), new PdfCodec(), new PngCodec(), new JpegCodec(), new TextCodec()));
    }

    /** A registry of exactly these codecs, asked in this order. */
    public static Codecs of(LabelCodec... codecs) {
        return new Codecs(List.of(codecs));
    }

    public List<LabelCodec> codecs() {
        return codecs;
    }

    /**
     * The codec for this file.
     *
     * @throws UnsupportedFormatException when no codec takes it (the message lists what is supported)
     * @throws LabelFormatException when the name promises a format the bytes are not
     */
    public LabelCodec detect(String fileName, byte[] bytes) throws LabelFormatException {
        String lower = fileName.toLowerCase(Locale.ROOT);
        boolean pdf = isPdf(bytes);
        boolean zip = Bytes.startsWith(bytes, 0, ZIP_MAGIC);
        if (lower.endsWith(".pdf") && !pdf) {
            throw new LabelFormatException(fileName + " is named .pdf but is not a PDF (no %PDF- header; "
                    + describe(bytes) + "); check that the file was downloaded completely");
        }
        if (lower.endsWith(".docx") && !(zip && hasDocxMainPart(bytes))) {
            throw new LabelFormatException(fileName + " is named .docx but is not a Word document ("
                    + (zip ? "a ZIP archive without word/document.xml" : "not a ZIP archive; " + describe(bytes))
                    + "); save it from Word as .docx, or check the download");
        }
        if (lower.endsWith(".png") && !Bytes.startsWith(bytes, 0, PngCodec.MAGIC)) {
            throw new LabelFormatException(fileName + " is named .png but is not a PNG (no PNG signature; "
                    + describe(bytes) + "); check that the file was downloaded completely");
        }
        if ((lower.endsWith(".jpg") || lower.endsWith(".jpeg")) && !Bytes.startsWith(bytes, 0, JpegCodec.MAGIC)) {
            throw new LabelFormatException(fileName + " is named as JPEG but is not one (no FF D8 FF header; "
                    + describe(bytes) + "); check that the file was downloaded completely");
        }
        if ((lower.endsWith(".md") || lower.endsWith(".markdown") || lower.endsWith(".txt")) && (pdf || zip)) {
            throw new LabelFormatException(fileName + " is named as text but holds " + (pdf ? "a PDF" : "a ZIP archive")
                    + "; rename it to its real extension");
        }
        for (LabelCodec codec : codecs) {
            if (codec.accepts(fileName, bytes)) {
                return codec;
            }
        }
        throw new UnsupportedFormatException("unknown format for " + fileName + " (" + describe(bytes) + "); " + SUPPORTED);
    }

    /** PDF, ZIP, PNG or JPEG magic: such bytes are never text, whatever the file is called. */
    static boolean looksBinary(byte[] head) {
        return isPdf(head) || Bytes.startsWith(head, 0, ZIP_MAGIC) || Bytes.startsWith(head, 0, PngCodec.MAGIC)
                || Bytes.startsWith(head, 0, JpegCodec.MAGIC);
    }

    /** {@code %PDF-} within the first 1,024 bytes, where readers look for it. */
    static boolean isPdf(byte[] bytes) {
        return Bytes.indexOf(bytes, PDF_MAGIC, 0, Math.min(bytes.length, 1024)) >= 0;
    }

    /**
     * A cheap sniff, not a check: a DOCX's local headers and central directory both carry the name
     * {@code word/document.xml} uncompressed. {@link DocxCodec} checks the archive for real.
     */
    static boolean hasDocxMainPart(byte[] bytes) {
        return Bytes.startsWith(bytes, 0, ZIP_MAGIC) && Bytes.indexOf(bytes, DOCX_MAIN_PART, 0, bytes.length) >= 0;
    }

    private static String describe(byte[] bytes) {
        if (bytes.length == 0) {
            return "the file is empty";
        }
        int n = Math.min(bytes.length, 8);
        StringBuilder hex = new StringBuilder("first bytes:");
        for (int i = 0; i < n; i++) {
            hex.append(String.format(" %02X", bytes[i] & 0xff));
        }
        String ascii = new String(bytes, 0, n, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".");
        return hex.append(" \"").append(ascii).append('"').toString();
    }
}
