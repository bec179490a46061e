package dev.yuanjian.label;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JPEG images. The implicit label is the XMP property {@code TC260:AIGC} (see {@link ImageXmp}) in
 * the standard XMP packet: an APP1 segment starting {@code http://ns.adobe.com/xap/1.0/\0}. The
 * codec edits that segment in place when the file has one, else inserts a new one after SOI and
 * the leading APP0 (JFIF) and APP1 (Exif) segments. Everything else is copied byte for byte;
 * extended XMP ({@code http://ns.adobe.com/xmp/extension/}) is left alone. A segment holds at
 * most 65,533 bytes after its length field; a packet that would not fit is refused.
 *
 * <p>Protected digest, exactly: SHA-256 over the file's bytes with the bytes of the
 * {@code ReservedCode1} value (between its JSON quotes, as stored) cut out. The segment's length
 * field is covered. A file without a label hashes whole.
 *
 * <p>Explicit label: visible text drawn in the bottom-right corner ({@link ImageRaster}), then
 * the image is encoded again by {@code javax.imageio} at quality {@value #QUALITY}. Re-encoding is
 * lossy and writes new headers: of the original's metadata only the XMP APP1 segment and COM
 * segments are carried over; Exif (with its orientation), ICC profiles and other APPn segments
 * are dropped — acceptable for freshly generated images, not for photographs. The codec records
 * what it drew in a COM segment {@code Yuanjian-Explicit-Label: <wording>} (UTF-8);
 * {@link #hasExplicit} reads only that: it reports our own visible label, not text another tool drew.
 *
 * <p>Untrusted input: segment lengths must fit the file and the header segments must reach an SOS
 * marker; the entropy-coded data after SOS is copied without being parsed.
 */
public final class JpegCodec implements LabelCodec {
    static final byte[] MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    static final byte[] XMP_HEADER = Bytes.ascii("http://ns.adobe.com/xap/1.0/\0");
    static final String EXPLICIT_PREFIX = "Yuanjian-Explicit-Label: ";
    static final float QUALITY = 0.92f;
    private static final int MAX_SEGMENT = 65533;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int COM = 0xFE;
    private static final int SOS = 0xDA;

    @Override
    public String format() {
        return "jpeg";
    }

    @Override
    public String mediaType() {
        return "image/jpeg";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return Bytes.startsWith(head, 0, MAGIC);
    }

    /** A marker segment before SOS: {@code start} is its 0xFF, {@code data} the byte after its length field. */
    record Segment(int marker, int start, int data, int end) {
    }

    /** The segments from SOI up to and including SOS (whose {@code end} is the end of its header). */
    static List<Segment> segments(byte[] b, String where) throws LabelFormatException {
        if (!Bytes.startsWith(b, 0, MAGIC)) {
            throw new LabelFormatException(where + " is not a JPEG (no FF D8 FF header)");
        }
        List<Segment> out = new ArrayList<>();
        int at = 2;
        while (true) {
            if (at + 1 >= b.length) {
                throw new LabelFormatException(where + ": the file ends before the image data (truncated?)");
            }
            if ((b[at] & 0xff) != 0xFF) {
                throw new LabelFormatException(where + ": expected a marker at offset " + at);
            }
            int m = b[at + 1] & 0xff;
            if (m == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                out.add(new Segment(m, at, at + 2, at + 2));
                at += 2;
                continue;
            }
            if (m == 0x00 || m == 0xD8 || m == 0xD9) {
                throw new LabelFormatException(where + ": unexpected marker FF " + String.format("%02X", m)
                        + " at offset " + at + " before the image data");
            }
            if (at + 4 > b.length) {
                throw new LabelFormatException(where + ": truncated segment at offset " + at);
            }
            int len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (len < 2 || at + 2 + len > b.length) {
                throw new LabelFormatException(where + ": segment FF " + String.format("%02X", m) + " at offset "
                        + at + " declares " + len + " bytes, past the end of the file (truncated download?)");
            }
            Segment s = new Segment(m, at, at + 4, at + 2 + len);
            out.add(s);
            at = s.end();
            if (m == SOS) {
                return out;
            }
        }
    }

    private static boolean isXmp(byte[] b, Segment s) {
        return s.marker() == APP1 && Bytes.startsWith(b, s.data(), XMP_HEADER)
                && s.data() + XMP_HEADER.length <= s.end();
    }

    private static Optional<Segment> xmp(byte[] b, List<Segment> segments, String where) throws LabelFormatException {
        Segment found = null;
        for (Segment s : segments) {
            if (isXmp(b, s)) {
                if (found != null) {
                    throw new LabelFormatException(where + ": two XMP APP1 segments; a JPEG has at most one");
                }
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] packet(byte[] b, Segment s) {
        return java.util.Arrays.copyOfRange(b, s.data() + XMP_HEADER.length, s.end());
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        Optional<Segment> x = xmp(b, segments(b, asset.name()), asset.name());
        if (x.isEmpty()) {
            return Optional.empty();
        }
        return ImageXmp.read(packet(b, x.get()), asset.name() + " (XMP APP1)");
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Segment> segments = segments(b, where);
        Optional<Segment> x = xmp(b, segments, where);
        byte[] packet = ImageXmp.rewrite(x.map(s -> packet(b, s)).orElse(null), label, where + " (XMP APP1)");
        byte[] segment = segment(APP1, Bytes.concat(XMP_HEADER, packet), where);
        int from;
        int to;
        if (x.isPresent()) {
            from = x.get().start();
            to = x.get().end();
        } else {
            from = 2;
            for (Segment s : segments) {
                boolean leading = s.marker() == APP0
                        || (s.marker() == APP1 && Bytes.startsWith(b, s.data(), Bytes.ascii("Exif\0")));
                if (!leading) {
                    break;
                }
                from = s.end();
            }
            to = from;
        }
        return asset.withBytes(Bytes.splice(b, from, to, segment));
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        if (hasExplicit(asset, explicit)) {
            return asset;
        }
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Segment> old = segments(b, where);
        String wording = ImageRaster.wording(explicit);
        byte[] drawn = ImageRaster.encodeJpeg(ImageRaster.drawLabel(ImageRaster.decode(b, where), explicit), QUALITY);
        List<Segment> fresh = segments(drawn, "the re-encoded image");
        int insertAt = 2;
        if (!fresh.isEmpty() && fresh.get(0).marker() == APP0) {
            insertAt = fresh.get(0).end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(drawn, 0, insertAt);
        for (Segment s : old) {
            if (isXmp(b, s) || s.marker() == COM) {
                out.write(b, s.start(), s.end() - s.start());
            }
        }
        out.writeBytes(segment(COM, (EXPLICIT_PREFIX + wording).getBytes(StandardCharsets.UTF_8), where));
        out.write(drawn, insertAt, drawn.length - insertAt);
        return asset.withBytes(out.toByteArray());
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        byte[] prefix = EXPLICIT_PREFIX.getBytes(StandardCharsets.UTF_8);
        for (Segment s : segments(b, asset.name())) {
            if (s.marker() == COM && Bytes.startsWith(b, s.data(), prefix) && s.data() + prefix.length <= s.end()
                    && explicit.isPresentIn(new String(b, s.data(), s.end() - s.data(), StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] protectedDigest(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        Optional<Segment> x = xmp(b, segments(b, where), where);
        if (x.isEmpty()) {
            return Bytes.sha256(b);
        }
        Optional<LabelText.Span> span = ImageXmp.reservedCode1(packet(b, x.get()), where + " (XMP APP1)");
        if (span.isEmpty()) {
            return Bytes.sha256(b);
        }
        int base = x.get().data() + XMP_HEADER.length;
        return Bytes.sha256Excluding(b, base + span.get().start(), base + span.get().end());
    }

    private static byte[] segment(int marker, byte[] payload, String where) throws LabelFormatException {
        if (payload.length > MAX_SEGMENT) {
            throw new LabelFormatException(where + ": the " + (marker == COM ? "comment" : "XMP packet") + " needs "
                    + payload.length + " bytes, more than the " + MAX_SEGMENT + " a JPEG segment holds");
        }
        int len = payload.length + 2;
        byte[] head = {(byte) 0xFF, (byte) marker, (byte) (len >>> 8), (byte) len};
        return Bytes.concat(head, payload);
    }
}
