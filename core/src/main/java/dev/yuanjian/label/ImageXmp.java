package dev.yuanjian.label;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The XMP packet the image codecs ({@link PngCodec}, {@link JpegCodec}) store the label in, and
 * how they find it again. The containers differ (a PNG {@code iTXt} chunk, a JPEG APP1 segment);
 * the packet and its rules are the same.
 *
 * <p>Our properties live in one {@code rdf:Description} of their own, {@link #OUR_BLOCK_START}...
 * {@code </rdf:Description>}: {@code TC260:AIGC} holds the wrapped label JSON as XML text, and
 * {@code Iptc4xmpExt:DigitalSourceType} the IPTC "trained algorithmic media" code. Writing:
 * <ul>
 *   <li>no packet: a new packet holding only our block;</li>
 *   <li>a packet with our block: the block is replaced, the rest of the packet kept;</li>
 *   <li>a packet without {@code TC260:AIGC} that has one {@code </rdf:RDF>}: our block is inserted
 *       before it, the other properties kept;</li>
 *   <li>anything else (a label written by another tool in another layout, an XMP packet we cannot
 *       edit as text): the whole packet is replaced by ours, so the other tool's XMP properties are
 *       lost. Never two labels.</li>
 * </ul>
 * The reader looks for the element form {@code <TC260:AIGC>...</TC260:AIGC>} with that prefix only
 * (the form GB 45438's guides show); two such elements raise {@link LabelFormatException}.
 *
 * <p>Packets are scanned as ISO-8859-1 (one char per byte), so the offsets {@link #find} reports
 * are byte offsets into the packet; the label's fields are ASCII, so the span of
 * {@code ReservedCode1} is exact.
 */
final class ImageXmp {
    static final String TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/";
    static final String IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    static final String OUR_BLOCK_START = "<rdf:Description rdf:about=\"\" xmlns:TC260=\"" + TC260_NS + "\"";
    private static final String OPEN = "<TC260:AIGC>";
    private static final String CLOSE = "</TC260:AIGC>";
    private static final String DESCRIPTION_END = "</rdf:Description>";
    private static final String RDF_END = "</rdf:RDF>";

    private ImageXmp() {
    }

    /** Where the label sits in a packet: the element's text and the decoded JSON. */
    record Found(int elementStart, int elementEnd, LabelText text, String json) {
    }

    /** Our block for {@code label}. */
    static String block(AigcLabel label) {
        return OUR_BLOCK_START + " xmlns:Iptc4xmpExt=\"" + IPTC_EXT_NS + "\">"
                + OPEN + XmlScan.escapeText(label.toWrappedJson()) + CLOSE
                + "<Iptc4xmpExt:DigitalSourceType>" + TRAINED_ALGORITHMIC_MEDIA + "</Iptc4xmpExt:DigitalSourceType>"
                + DESCRIPTION_END;
    }

    /** A whole packet holding only our block. */
    static String packet(AigcLabel label) {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + block(label) + RDF_END + "</x:xmpmeta><?xpacket end=\"w\"?>";
    }

    /** The label element in {@code packet} (bytes), if any. */
    static Optional<Found> find(byte[] packet, String where) throws LabelFormatException {
        String s = new String(packet, StandardCharsets.ISO_8859_1);
        int open = s.indexOf(OPEN);
        if (open < 0) {
            if (s.contains("TC260:AIGC") || s.contains(":AIGC=")) {
                throw new LabelFormatException(where + ": the AIGC property is not stored as a "
                        + "<TC260:AIGC> element; write the label again to store it in that form");
            }
            return Optional.empty();
        }
        int close = s.indexOf(CLOSE, open);
        if (close < 0) {
            throw new LabelFormatException(where + ": <TC260:AIGC> is not closed");
        }
        if (s.indexOf(OPEN, close) >= 0) {
            throw new LabelFormatException(where + ": two TC260:AIGC labels; remove one and write the label again");
        }
        int start = open + OPEN.length();
        LabelText latin = LabelText.xmlText(s, start, close, where);
        String json = LabelText.xmlText(new String(packet, start, close - start, StandardCharsets.UTF_8), 0,
                new String(packet, start, close - start, StandardCharsets.UTF_8).length(), where).json;
        return Optional.of(new Found(open, close + CLOSE.length(), latin, json));
    }

    /** The label in {@code packet}, if any. */
    static Optional<AigcLabel> read(byte[] packet, String where) throws LabelFormatException {
        Optional<Found> found = find(packet, where);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AigcLabel.parse(found.get().json(), where));
    }

    /** The {@code ReservedCode1} value's byte range in {@code packet}, if the packet has a label with one. */
    static Optional<LabelText.Span> reservedCode1(byte[] packet, String where) throws LabelFormatException {
        Optional<Found> found = find(packet, where);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AigcLabel.parse(found.get().json(), where);
        return found.get().text().reservedCode1(where);
    }

    /** {@code existing} (may be null: no packet) with {@code label} as its only label, per the class comment. */
    static byte[] rewrite(byte[] existing, AigcLabel label, String where) throws LabelFormatException {
        if (existing == null) {
            return utf8(packet(label));
        }
        String s = new String(existing, StandardCharsets.ISO_8859_1);
        // ASCII-only block, so splicing it into the ISO-8859-1 view keeps the other bytes as they were.
        String block = new String(utf8(block(label)), StandardCharsets.ISO_8859_1);
        Optional<Found> found;
        try {
            found = find(existing, where);
        } catch (LabelFormatException e) {
            return utf8(packet(label));
        }
        if (found.isPresent()) {
            int at = found.get().elementStart();
            int after = found.get().elementEnd();
            int blockStart = s.lastIndexOf(OUR_BLOCK_START, at);
            int blockEnd = s.indexOf(DESCRIPTION_END, after);
            boolean ours = blockStart >= 0 && blockEnd >= 0
                    && noneBetween(s, "<rdf:Description", blockStart + 1, at)
                    && noneBetween(s, "<rdf:Description", after, blockEnd);
            if (ours) {
                return (s.substring(0, blockStart) + block + s.substring(blockEnd + DESCRIPTION_END.length()))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            return utf8(packet(label));
        }
        int rdfEnd = s.indexOf(RDF_END);
        if (rdfEnd >= 0 && s.indexOf(RDF_END, rdfEnd + 1) < 0 && s.contains("xmlns:rdf=")) {
            return (s.substring(0, rdfEnd) + block + s.substring(rdfEnd)).getBytes(StandardCharsets.ISO_8859_1);
        }
        return utf8(packet(label));
    }

    private static boolean noneBetween(String s, String needle, int from, int to) {
        int i = s.indexOf(needle, from);
        return i < 0 || i >= to;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
