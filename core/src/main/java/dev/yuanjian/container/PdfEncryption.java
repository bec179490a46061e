package dev.yuanjian.container;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.PDCryptFilterDictionary;
import org.apache.pdfbox.pdmodel.encryption.PDEncryption;
import org.apache.pdfbox.pdmodel.encryption.SecurityHandler;

/**
 * A PDF's standard security handler (ISO 32000-1 section 7.6, ISO 32000-2 for AES-256) as far as
 * labelling needs it. PDFBox opens a file with the empty user password, as viewers do, and then
 * decrypts every string and stream; what we append must be encrypted again with the document's
 * key: strings and streams of object {@code n g} with the key derived from {@code n} and {@code g}
 * (RC4 and AES-128), or the file key itself (AES-256). Labelling needs the permission to modify
 * the document (Table 22, bit 4): the Info dictionary and the page content we add are both
 * "contents of the document".
 */
final class PdfEncryption {
    private PdfEncryption() {
    }

    static FormatException needsPassword(String name, Exception cause) {
        return new FormatException(name + " is an encrypted PDF that needs a password to open (its user password is "
                + "not empty), so it can be neither read nor labelled here. Ask its author for a copy without a "
                + "password, or remove it yourself (e.g. qpdf --password=PASSWORD --decrypt in.pdf out.pdf), then try "
                + "again with that copy", cause);
    }

    static FormatException certificate(String name, Exception cause) {
        return new FormatException(name + " is encrypted for particular recipients (public-key security, "
                + "/Adobe.PubSec): only a recipient's private key opens it, so it can be neither read nor labelled "
                + "here. Ask its author for an unencrypted copy, then try again", cause);
    }

    /**
     * Refuses to label a document whose permissions do not allow modification with the empty user
     * password: what we would write is then not ours to write.
     */
    static void requireModifiable(PDDocument doc, String name) throws FormatException {
        if (!doc.isEncrypted()) {
            return;
        }
        AccessPermission p = doc.getCurrentAccessPermission();
        if (!p.isOwnerPermission() && !p.canModify()) {
            throw new FormatException(name + " is an encrypted PDF whose permissions do not allow changing it "
                    + "(\"modify the contents\" is off), so a label cannot be added; it can still be verified. Ask its "
                    + "author for a copy that allows changes, or for the owner password to lift the restriction "
                    + "(e.g. qpdf --password=OWNER --decrypt in.pdf out.pdf), then label that copy");
        }
    }

    /** A line for the verify report: how the file is encrypted and what its permissions allow us. */
    static Notice describe(PDDocument doc) {
        String method = method(doc.getEncryption());
        boolean modifiable = doc.getCurrentAccessPermission().isOwnerPermission()
                || doc.getCurrentAccessPermission().canModify();
        return new Notice("Encrypted PDF (" + method + "), opened with the empty user password as viewers do; its "
                + "permissions " + (modifiable ? "allow" : "do not allow") + " labelling it",
                "加密的 PDF（" + method + "），已按查看器的做法以空用户密码打开；其权限" + (modifiable ? "允许" : "不允许")
                        + "添加标识");
    }

    /** The cipher of strings: RC4 40-bit, RC4 128-bit, AES-128, AES-256 or none (identity). */
    static String method(PDEncryption e) {
        if (e.getVersion() >= 4) {
            COSName filter = e.getStringFilterName();
            PDCryptFilterDictionary cf = filter == null ? null : e.getCryptFilterDictionary(filter);
            COSName cfm = cf == null ? null : cf.getCryptFilterMethod();
            if (cfm == null || COSName.IDENTITY.equals(filter) || COSName.getPDFName("None").equals(cfm)) {
                return "strings not encrypted";
            }
            return switch (cfm.getName()) {
                case "AESV3" -> "AES-256";
                case "AESV2" -> "AES-128";
                default -> "RC4 " + e.getLength() + "-bit";
            };
        }
        return "RC4 " + (e.getVersion() == 1 ? 40 : e.getLength()) + "-bit";
    }

    /**
     * {@code value} as it must be written inside object {@code num gen} of {@code doc}: a copy with
     * every string encrypted as the document's security handler does, or {@code value} itself when
     * the document's strings are not encrypted. Deterministic: the AES initialisation vector is
     * derived (HMAC-SHA-256 under the file key) from the object and the plain text instead of drawn
     * at random, so the metadata revision stays a pure function of its inputs (see
     * {@link PdfContainer}); equal plain texts in the same object then give equal cipher texts,
     * which tells nothing a reader with the empty password could not read anyway.
     */
    static COSBase encrypted(PDDocument doc, COSBase value, long num, int gen) throws IOException {
        if (!doc.isEncrypted() || method(doc.getEncryption()).equals("strings not encrypted")) {
            return value;
        }
        return copy(doc.getEncryption().getSecurityHandler(), value, num, gen);
    }

    private static COSBase copy(SecurityHandler<?> handler, COSBase value, long num, int gen) throws IOException {
        if (value instanceof COSString s) {
            byte[] plain = s.getBytes();
            COSString out = new COSString(plain);
            handler.setCustomSecureRandom(new DerivedIv(iv(handler.getEncryptionKey(), num, gen, plain)));
            handler.encryptString(out, num, gen);
            out.setForceHexForm(true);
            return out;
        }
        if (value instanceof COSArray array) {
            COSArray out = new COSArray();
            for (int k = 0; k < array.size(); k++) {
                out.add(copy(handler, array.get(k), num, gen));
            }
            return out;
        }
        if (value instanceof COSDictionary dict && !(value instanceof COSStream)) {
            COSDictionary out = new COSDictionary();
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                out.setItem(e.getKey(), copy(handler, e.getValue(), num, gen));
            }
            return out;
        }
        return value; // names, numbers, references: not encrypted
    }

    private static byte[] iv(byte[] fileKey, long num, int gen, byte[] plain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fileKey, "HmacSHA256"));
            mac.update((num + " " + gen + " iv\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Arrays.copyOf(mac.doFinal(plain), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Hands PDFBox's AES code the derived initialisation vector where it asks for random bytes. */
    private static final class DerivedIv extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] iv;

        DerivedIv(byte[] iv) {
            this.iv = iv;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = iv[k % iv.length];
            }
        }
    }
}
