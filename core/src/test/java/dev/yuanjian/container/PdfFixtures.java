package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.text.PDFTextStripper;

/** PDFs as the real world has them, made in the test: encrypted, damaged, carrying a C2PA store. */
public final class PdfFixtures {
    public static final List<String> PAGES = List.of("First page of an encrypted report", "Second page", "Last page");

    private PdfFixtures() {
    }

    /** The standard security handler's ciphers PDFBox writes. */
    public enum Cipher {
        RC4_40(40, false), RC4_128(128, false), AES_128(128, true), AES_256(256, true);

        final int bits;
        final boolean aes;

        Cipher(int bits, boolean aes) {
            this.bits = bits;
            this.aes = aes;
        }
    }

    /**
     * {@code pdf} encrypted with owner password "owner" and user password {@code user} ("" opens it
     * as viewers do), allowing modification or not.
     */
    public static byte[] encrypted(byte[] pdf, Cipher cipher, String user, boolean modifiable) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            AccessPermission permissions = new AccessPermission();
            permissions.setCanModify(modifiable);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", user, permissions);
            policy.setEncryptionKeyLength(cipher.bits);
            policy.setPreferAES(cipher.aes);
            doc.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every page's text, as PDFBox extracts it with the empty password. */
    public static String text(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pdf} with a C2PA manifest store embedded as the C2PA specification says: an associated file. */
    public static byte[] withC2paManifest(byte[] pdf, boolean associated) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDEmbeddedFile file = new PDEmbeddedFile(doc, new java.io.ByteArrayInputStream(
                    "jumb....jumdc2pa (a manifest store would be here)".getBytes(StandardCharsets.US_ASCII)));
            file.setSubtype("application/c2pa");
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("manifest.c2pa");
            spec.setEmbeddedFile(file);
            if (associated) {
                spec.getCOSObject().setName(COSName.getPDFName("AFRelationship"), "C2PA_Manifest");
                COSArray af = new COSArray();
                af.add(spec);
                doc.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("AF"), af);
            }
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of("manifest.c2pa", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kinds of damaged cross-reference data viewers open anyway. */
    public enum Damage {
        STARTXREF_INTO_NOTHING, NO_STARTXREF, WRONG_TABLE_OFFSETS, TRAILING_GARBAGE, CUT_OFF_UPDATE, TRAILER_WITHOUT_ROOT
    }

    /** {@code pdf} (an uncompressed PDF with a cross-reference table) damaged as {@code damage} says. */
    public static byte[] damaged(byte[] pdf, Damage damage) {
        String s = new String(pdf, StandardCharsets.ISO_8859_1);
        int sx = s.lastIndexOf("startxref");
        return switch (damage) {
            // the middle of the first object's dictionary: neither "xref" nor "n g obj"
            case STARTXREF_INTO_NOTHING -> latin1(s.substring(0, sx) + "startxref\n" + (s.indexOf(" 0 obj") + 9) + "\n%%EOF\n");
            case NO_STARTXREF -> latin1(s.substring(0, sx));
            // a comment line inserted after the header moves every object: every table offset is now short
            case WRONG_TABLE_OFFSETS -> latin1(s.replaceFirst("\n", "\n% twenty bytes more\n"));
            case TRAILING_GARBAGE -> latin1(s + "\u0000\u00ffgarbage after the end of the file\u0001".repeat(3));
            // an incremental update whose cross-reference and startxref were cut off
            case CUT_OFF_UPDATE -> latin1(s + "99 0 obj\n<</Title (a later revision)>>\nendobj\n");
            // PDFBox finds the catalog by searching; strict readers (qpdf) cannot open the file
            case TRAILER_WITHOUT_ROOT -> latin1(s.substring(0, s.lastIndexOf("trailer"))
                    + s.substring(s.lastIndexOf("trailer")).replaceFirst("/Root\\s*\\d+\\s+\\d+\\s+R", "/Comment (none)"));
        };
    }

    /**
     * A one-page PDF whose cross-reference is a stream with {@code /W [1 2 1]}, Flate-compressed,
     * PNG Up-predicted when {@code predicted} (as most writers do), every offset {@code shift}
     * bytes off (0: a sound file).
     */
    public static byte[] withXrefStream(boolean predicted, int shift) {
        String[] objects = {"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>", "<</Title (streamed)>>"};
        StringBuilder pdf = new StringBuilder("%PDF-1.5\n");
        int[] offsets = new int[objects.length + 1];
        for (int i = 0; i < objects.length; i++) {
            offsets[i + 1] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        int n = objects.length + 2; // 0 (free), 1..4, the stream itself (5)
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        byte[] previous = new byte[4];
        for (int i = 0; i < n; i++) {
            int offset = i == 0 ? 0 : i == n - 1 ? xref : offsets[i];
            byte[] row = {(byte) (i == 0 ? 0 : 1), (byte) (offset >> 8), (byte) offset, (byte) (i == 0 ? 255 : 0)};
            if (predicted) {
                rows.write(2);
                for (int k = 0; k < 4; k++) {
                    rows.write(row[k] - previous[k]);
                }
                previous = row;
            } else {
                rows.writeBytes(row);
            }
        }
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(rows.toByteArray());
        deflater.finish();
        byte[] buffer = new byte[1024];
        int length = deflater.deflate(buffer);
        deflater.end();
        pdf.append(n - 1).append(" 0 obj\n<</Type/XRef/Size ").append(n).append("/W[1 2 1]/Root 1 0 R/Info 4 0 R/Filter/FlateDecode")
                .append(predicted ? "/DecodeParms<</Predictor 12/Columns 4>>" : "").append("/Length ").append(length)
                .append(">>\nstream\n").append(new String(buffer, 0, length, StandardCharsets.ISO_8859_1))
                .append("\nendstream\nendobj\nstartxref\n").append(xref).append("\n%%EOF\n");
        String s = pdf.toString();
        if (shift > 0) {
            // the bytes move, the cross-reference stream's entries do not: startxref itself is kept right
            s = s.replaceFirst("\n", "\n" + "%".repeat(shift - 1) + "\n").replace("startxref\n" + xref, "startxref\n" + (xref + shift));
        }
        return latin1(s);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
