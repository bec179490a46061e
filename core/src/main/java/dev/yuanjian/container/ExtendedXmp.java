package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Extended XMP in JPEG (XMP Specification Part 3, 1.1.3.1): when a packet no longer fits one APP1
 * segment, the standard packet keeps our own block ({@link Xmp#OUR_BLOCK_START}, where every
 * property Yuanjian writes lives) and an {@code xmpNote:HasExtendedXMP} property naming the GUID;
 * everything else the packet held (the other tools' {@code rdf:Description} blocks) moves, as one
 * UTF-8 serialisation of {@code x:xmpmeta}, into the extension. The GUID is the MD5 digest of that
 * serialisation, 32 upper-case hex digits. It is written in APP1 segments of at most
 * {@value #CHUNK} data bytes, each starting {@code http://ns.adobe.com/xmp/extension/\0}, the GUID,
 * the full length and the offset of its portion (32-bit big-endian).
 *
 * <p>Readers of the standard packet (our own {@code Xmp.get}) see our block; ExifTool and Adobe's
 * XMP toolkit join both. A packet already split, or whose own block alone does not fit, is not
 * split again: the caller refuses it.
 */
final class ExtendedXmp {
    static final byte[] HEADER = Bytes.ascii("http://ns.adobe.com/xmp/extension/\0");
    /** Data bytes per extension segment, as Adobe's toolkit writes them. */
    static final int CHUNK = 65_400;
    private static final String NOTE_NS = "http://ns.adobe.com/xmp/note/";

    private ExtendedXmp() {
    }

    /** The standard packet and the APP1 segments carrying the extension. */
    record Split(byte[] standard, byte[] segments, String guid) {
    }

    /**
     * {@code packet} split as the class comment says, or empty when it cannot be: it already names
     * an extension, has no block of ours, or is not one {@code x:xmpmeta} with one {@code rdf:RDF}.
     *
     * @throws FormatException when the packet does not decode
     */
    static Optional<Split> split(byte[] packet, String where) throws FormatException {
        String s = Xmp.decode(packet, where).text();
        int ours = s.indexOf(Xmp.OUR_BLOCK_START);
        int meta = s.indexOf("<x:xmpmeta");
        int metaEnd = s.indexOf("</x:xmpmeta>");
        if (s.contains("HasExtendedXMP") || ours < 0 || meta < 0 || metaEnd < 0 || ours < meta || ours > metaEnd) {
            return Optional.empty();
        }
        int oursEnd = endOfDescription(s, ours);
        if (oursEnd < 0 || s.indexOf(Xmp.OUR_BLOCK_START, oursEnd) >= 0) {
            return Optional.empty();
        }
        String block = s.substring(ours, oursEnd);
        String extension = s.substring(meta, ours) + s.substring(oursEnd, metaEnd + "</x:xmpmeta>".length());
        byte[] extended = extension.getBytes(StandardCharsets.UTF_8);
        String guid = md5(extended);
        String standard = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + block + "<rdf:Description rdf:about=\"\" xmlns:xmpNote=\"" + NOTE_NS + "\"><xmpNote:HasExtendedXMP>"
                + guid + "</xmpNote:HasExtendedXMP></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
        return Optional.of(new Split(standard.getBytes(StandardCharsets.UTF_8), segments(extended, guid), guid));
    }

    /** The end of the {@code rdf:Description} starting at {@code start}, nested ones counted; -1 if unclosed. */
    private static int endOfDescription(String s, int start) {
        int depth = 0;
        int at = start;
        while (at < s.length()) {
            int open = s.indexOf("<rdf:Description", at);
            int close = s.indexOf("</rdf:Description>", at);
            if (close < 0) {
                return -1;
            }
            if (open >= 0 && open < close) {
                int gt = s.indexOf('>', open);
                if (gt < 0) {
                    return -1;
                }
                if (s.charAt(gt - 1) != '/') {
                    depth++;
                }
                at = gt + 1;
            } else {
                depth--;
                at = close + "</rdf:Description>".length();
                if (depth == 0) {
                    return at;
                }
            }
        }
        return -1;
    }

    private static byte[] segments(byte[] extended, String guid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(extended.length + 128);
        byte[] id = Bytes.ascii(guid);
        for (int offset = 0; offset < extended.length; offset += CHUNK) {
            int n = Math.min(CHUNK, extended.length - offset);
            int length = 2 + HEADER.length + id.length + 8 + n;
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) JpegContainer.APP1, (byte) (length >>> 8), (byte) length});
            out.writeBytes(HEADER);
            out.writeBytes(id);
            out.writeBytes(u32(extended.length));
            out.writeBytes(u32(offset));
            out.write(extended, offset, n);
        }
        return out.toByteArray();
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
