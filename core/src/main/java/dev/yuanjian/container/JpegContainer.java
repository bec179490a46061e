package dev.yuanjian.container;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * JPEG images. Metadata is an XMP property ({@link Xmp}) in the standard XMP packet: the APP1
 * segment starting {@code http://ns.adobe.com/xap/1.0/\0}. That segment is rewritten in place when
 * the file has one, else a new one is inserted after SOI and the leading APP0 (JFIF) and APP1
 * (Exif) segments. Everything else is copied byte for byte. A segment holds at most
 * {@value #MAX_SEGMENT} bytes after its length field: a packet that comes within
 * {@value #SPLIT_RESERVE} bytes of that before the value is set, or does not fit with it, is split
 * into Extended XMP ({@link ExtendedXmp}: our block stays in the standard packet, the other tools'
 * blocks move to {@code http://ns.adobe.com/xmp/extension/} segments right after it). Existing
 * extended XMP segments are kept as they are. A packet that cannot be split (already split, or our
 * block alone too large) is refused with {@link FormatException}. Later images of a Multi-Picture
 * file keep their place after the first image, their index corrected ({@link MpfIndex}).
 *
 * <p>Untrusted input: segment lengths must fit the file, no stray SOI/EOI/NUL markers, the header
 * segments must reach an SOS marker, at most one XMP segment. The entropy-coded data after SOS is
 * copied without being decoded (walked for its markers only to find where the first image ends,
 * in a Multi-Picture file).
 *
 * <p>{@link #raster()}: {@code javax.imageio} decodes (size checked first) and encodes the new
 * pixels as the original was coded ({@link JpegPixels}): its quantisation tables (so its quality),
 * sampling, baseline or progressive coding, its JFIF APP0 with density and units (or none), its Adobe APP14
 * colour transform; four-component CMYK and YCCK images as coded samples, without colour
 * conversion. Carried over from the original byte for byte, in their original order right after
 * the new JFIF APP0 (or SOI): every APP0 that is not JFIF or JFXX, every APP1..APP13 and APP15
 * segment (Exif with its orientation and maker notes, XMP and extended XMP, ICC profiles, MPF and
 * FlashPix in APP2, C2PA's JUMBF in APP11, Photoshop/IPTC in APP13, ...) and every COM segment.
 * What changes: the entropy-coded data (re-encoding noise beside the drawn pixels; the tables are
 * the original's), the Huffman tables, and the Exif IFD1 thumbnail, which is redrawn from the new
 * pixels ({@link ExifThumbnail}) so that a browser showing it shows the label too.
 */
public final class JpegContainer implements Container {
    static final byte[] MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    static final byte[] XMP_HEADER = Bytes.ascii("http://ns.adobe.com/xap/1.0/\0");
    static final int MAX_SEGMENT = 65533;
    /** A packet within this many bytes of a segment's capacity, before the value is set, is split. */
    static final int SPLIT_RESERVE = 8192;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final FormatSignature SIGNATURE =
            FormatSignature.binary("jpeg", "image/jpeg", List.of(".jpg", ".jpeg"), MAGIC);
    static final int APP0 = 0xE0;
    static final int APP1 = 0xE1;
    static final int APP14 = 0xEE;
    static final int APP15 = 0xEF;
    static final int COM = 0xFE;
    static final int SOS = 0xDA;

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** A marker segment before the image data: {@code start} is its 0xFF, {@code data} the byte after its length field. */
    record Segment(int marker, int start, int data, int end) {
    }

    @Override
    public void check(Asset asset) throws FormatException {
        xmpSegment(asset.bytes(), segments(asset.bytes(), asset.name()), asset.name());
    }

    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        Optional<Segment> x = xmpSegment(b, segments(b, where), where);
        if (x.isEmpty()) {
            return Optional.empty();
        }
        return Xmp.get(packet(b, x.get()), key, where + " (XMP APP1 segment at offset " + x.get().start() + ")");
    }

    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Segment> segments = segments(b, where);
        Optional<Segment> x = xmpSegment(b, segments, where);
        if (x.isPresent()) {
            String inSegment = where + " (XMP APP1 segment at offset " + x.get().start() + ")";
            byte[] old = packet(b, x.get());
            byte[] packet = Xmp.set(old, key, value, inSegment);
            // Whether to split is decided on the packet without the value (any value up to SPLIT_RESERVE
            // bytes gives the same decision), so the bytes stay a function of the file without the value.
            int withoutValue = XMP_HEADER.length + Xmp.set(old, key, "", inSegment).length;
            if (withoutValue > MAX_SEGMENT - SPLIT_RESERVE || XMP_HEADER.length + packet.length > MAX_SEGMENT) {
                Optional<ExtendedXmp.Split> split = ExtendedXmp.split(packet, inSegment);
                if (split.isPresent() && XMP_HEADER.length + split.get().standard().length <= MAX_SEGMENT) {
                    byte[] segments2 = Bytes.concat(app1(Bytes.concat(XMP_HEADER, split.get().standard()), inSegment),
                            split.get().segments());
                    return asset.withBytes(spliced(b, segments, x.get().start(), x.get().end(), segments2, where));
                }
            }
            byte[] segment = app1(Bytes.concat(XMP_HEADER, packet), inSegment);
            return asset.withBytes(spliced(b, segments, x.get().start(), x.get().end(), segment, where));
        }
        byte[] segment = app1(Bytes.concat(XMP_HEADER, Xmp.set(null, key, value, where + " (XMP)")), where);
        int at = 2;
        for (Segment s : segments) {
            boolean leading = s.marker() == APP0
                    || (s.marker() == APP1 && Bytes.startsWith(b, s.data(), Bytes.ascii("Exif\0")));
            if (!leading) {
                break;
            }
            at = s.end();
        }
        return asset.withBytes(spliced(b, segments, at, at, segment, where));
    }

    /** {@code b} with {@code [from, to)} of its header replaced by {@code segment}, the MPF index corrected. */
    static byte[] spliced(byte[] b, List<Segment> segments, int from, int to, byte[] segment, String where)
            throws FormatException {
        byte[] out = Bytes.splice(b, from, to, segment);
        if (MpfIndex.tiffHeader(b, segments) < 0) {
            return out;
        }
        int oldEnd = endOfImage(b, segments);
        return relocated(b, segments, oldEnd, out, oldEnd + segment.length - (to - from), where);
    }

    /** The C2PA manifest store's place ({@link JpegManifestSlot}). */
    @Override
    public Optional<ManifestSlot> manifestSlot() {
        return Optional.of(new JpegManifestSlot());
    }

    @Override
    public Optional<Raster> raster() {
        return Optional.of(new Raster() {
            @Override
            public BufferedImage decode(Asset asset) throws FormatException {
                byte[] b = asset.bytes();
                List<Segment> segments = segments(b, asset.name());
                int end = endOfImage(b, segments);
                boolean ends = end < b.length || (b.length >= 2 && (b[b.length - 2] & 0xff) == 0xFF
                        && (b[b.length - 1] & 0xff) == 0xD9);
                if (!ends) {
                    // The JDK's decoder fills what is missing with grey and says nothing.
                    throw new FormatException(asset.name() + ": the image data stops before its end marker (EOI): the "
                            + "file is truncated (a partial download?), and drawing the visible label would keep its "
                            + "missing part as grey; get the complete file, or label it without the visible label "
                            + "(--no-explicit)");
                }
                drawable(b, segments, asset.name());
                return JpegPixels.decode(frame(b, segments), asset.name());
            }

            @Override
            public Asset encode(Asset original, BufferedImage pixels) throws FormatException {
                return reencode(original, pixels);
            }

            /** Only where {@link #decode} would decode: a truncated or undrawable file is refused there, as before. */
            @Override
            public Optional<JpegCoefficients> coefficients(Asset asset) throws FormatException {
                byte[] b = asset.bytes();
                List<Segment> segments = segments(b, asset.name());
                drawable(b, segments, asset.name());
                return JpegCoefficients.read(b) instanceof JpegCoefficients.Decoded decoded
                        ? Optional.of(decoded.coefficients()) : Optional.empty();
            }

            @Override
            public Asset encode(Asset original, JpegCoefficients coefficients) throws FormatException {
                byte[] b = original.bytes();
                List<Segment> old = segments(b, original.name());
                byte[] image = withThumbnailRedrawn(coefficients.write(), coefficients, original.name());
                int oldEnd = coefficients.end();
                byte[] out = new byte[image.length + b.length - oldEnd];
                System.arraycopy(image, 0, out, 0, image.length);
                System.arraycopy(b, oldEnd, out, image.length, b.length - oldEnd);
                return original.withBytes(relocated(b, old, oldEnd, out, image.length, original.name()));
            }

            /** From the first {@code Exif\0\0} APP1 segment. */
            @Override
            public int orientation(Asset asset) throws FormatException {
                byte[] b = asset.bytes();
                for (Segment s : segments(b, asset.name())) {
                    if (s.marker() == APP1 && Bytes.startsWith(b, s.data(), EXIF_HEADER)) {
                        return ExifOrientation.of(b, s.data() + EXIF_HEADER.length, s.end());
                    }
                }
                return 1;
            }
        });
    }

    /**
     * {@code image} (a JPEG written from {@code coefficients}) with its Exif thumbnail redrawn from a
     * reduced decode of the coefficients (at least 640 pixels across when the image is).
     */
    private static byte[] withThumbnailRedrawn(byte[] image, JpegCoefficients coefficients, String where)
            throws FormatException {
        for (Segment s : segments(image, where)) {
            if (s.marker() != APP1 || !Bytes.startsWith(image, s.data(), EXIF_HEADER)) {
                continue;
            }
            byte[] segment = Arrays.copyOfRange(image, s.start(), s.end());
            byte[] redrawn = ExifThumbnail.redrawn(segment, () -> {
                int eighths = 1;
                while (eighths < 8 && coefficients.width() * eighths / 8 < 640) {
                    eighths *= 2;
                }
                return coefficients.preview(eighths);
            });
            return redrawn == segment ? image : Bytes.splice(image, s.start(), s.end(), redrawn);
        }
        return image;
    }

    private static Asset reencode(Asset original, BufferedImage pixels) throws FormatException {
        byte[] b = original.bytes();
        String where = original.name();
        List<Segment> old = segments(b, where);
        int[] size = size(b, old, where);
        if (pixels.getWidth() != size[0] || pixels.getHeight() != size[1]) {
            throw new IllegalArgumentException("pixels of " + pixels.getWidth() + " x " + pixels.getHeight()
                    + " cannot replace the " + size[0] + " x " + size[1] + " image " + where + "; keep the size");
        }
        byte[] fresh = JpegPixels.encode(frame(b, old), pixels, where);
        List<Segment> made = segments(fresh, where + " (re-encoded)");
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + fresh.length);
        // After the encoder's JFIF (and JFXX) APP0: JFIF must come first, Exif right after it.
        int insertAt = 2;
        for (Segment s : made) {
            if (s.marker() != APP0) {
                break;
            }
            insertAt = s.end();
        }
        out.write(fresh, 0, insertAt);
        for (Segment s : old) {
            if (carried(b, s) && s.marker() == 0xE1 && Bytes.startsWith(b, s.data(), Bytes.ascii("Exif\0\0"))) {
                out.writeBytes(ExifThumbnail.redrawn(Arrays.copyOfRange(b, s.start(), s.end()), pixels));
            } else if (carried(b, s)) {
                out.write(b, s.start(), s.end() - s.start());
            }
        }
        // The encoder writes no segment the original's frame description does not name; skip any it adds anyway.
        int at = insertAt;
        for (Segment s : made) {
            if (s.start() < insertAt) {
                continue;
            }
            if (carried(fresh, s)) {
                out.write(fresh, at, s.start() - at);
                at = s.end();
            }
        }
        out.write(fresh, at, fresh.length - at);
        int oldEnd = endOfImage(b, old);
        int newEnd = out.size();
        out.write(b, oldEnd, b.length - oldEnd);
        return original.withBytes(relocated(b, old, oldEnd, out.toByteArray(), newEnd, where));
    }

    /**
     * {@code rewritten} with its MPF index ({@link MpfIndex}) corrected for a first image that ended
     * at {@code oldEnd} in {@code original} and ends at {@code newEnd} now.
     */
    private static byte[] relocated(byte[] original, List<Segment> old, int oldEnd, byte[] rewritten, int newEnd,
            String where) throws FormatException {
        int oldTiff = MpfIndex.tiffHeader(original, old);
        if (oldTiff < 0) {
            return rewritten;
        }
        for (Segment s : segments(rewritten, where)) {
            if (s.marker() == 0xE2 && MpfIndex.tiffHeader(rewritten, List.of(s)) >= 0) {
                MpfIndex.relocate(rewritten, s.data() + 4, oldTiff, oldEnd, newEnd, s.end());
                break;
            }
        }
        return rewritten;
    }

    /**
     * The offset just after the first image's EOI: the entropy-coded data is walked (stuffed bytes,
     * restart markers and the segments between progressive scans skipped); {@code b.length} when
     * the file ends without one. What follows (MPF images, vendor trailers) is not part of the image.
     */
    static int endOfImage(byte[] b, List<Segment> segments) {
        int at = segments.get(segments.size() - 1).end();
        while (at + 1 < b.length) {
            if ((b[at] & 0xff) != 0xFF) {
                at++;
                continue;
            }
            int m = b[at + 1] & 0xff;
            if (m == 0xD9) {
                return at + 2;
            }
            if (m == 0x00 || (m >= 0xD0 && m <= 0xD7)) {
                at += 2;
            } else if (m == 0xFF) {
                at++;
            } else if (at + 4 <= b.length) {
                at += 2 + (((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff));
            } else {
                break;
            }
        }
        return b.length;
    }

    /**
     * {@code b} with only what describes how its pixels are coded: SOI, JFIF and JFXX APP0 (first), Adobe
     * APP14, the tables, frame and scan headers, the image data. The JDK's decoder reads this
     * copy: it refuses a JFIF segment that is not first (files with Exif before JFIF exist), and
     * would parse every other segment (an ICC profile, megabytes of APPn) for nothing.
     */
    private static byte[] frame(byte[] b, List<Segment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, 2);
        for (Segment s : segments) {
            if (s.marker() == APP0 && !carried(b, s)) {
                out.write(b, s.start(), s.end() - s.start());
            }
        }
        for (Segment s : segments) {
            if (((s.marker() & 0xF0) != 0xE0 && s.marker() != COM) || s.marker() == APP14) {
                out.write(b, s.start(), s.end() - s.start());
            }
        }
        int data = segments.get(segments.size() - 1).end();
        out.write(b, data, b.length - data);
        return out.toByteArray();
    }

    /** Segments copied from the original: see the class comment. JFIF, JFXX and APP14 come from the encoder. */
    private static boolean carried(byte[] b, Segment s) {
        int m = s.marker();
        if (m == APP0) {
            return !Bytes.startsWith(b, s.data(), Bytes.ascii("JFIF\0")) && !Bytes.startsWith(b, s.data(), Bytes.ascii("JFXX\0"));
        }
        return (m > APP0 && m < APP14) || m == APP15 || m == COM;
    }

    /**
     * Refuses, by name, the JPEG codings the JDK's decoder does not read (lossless, arithmetic,
     * 12-bit samples), which it would report only as "could not be decoded". Their metadata label
     * needs no decoding.
     */
    private static void drawable(byte[] b, List<Segment> segments, String where) throws FormatException {
        for (Segment s : segments) {
            int m = s.marker();
            if (m < 0xC0 || m > 0xCF || m == 0xC4 || m == 0xC8 || m == 0xCC || s.data() >= s.end()) {
                continue;
            }
            int precision = b[s.data()] & 0xff;
            String kind = m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF ? "lossless"
                    : m >= 0xC9 ? "arithmetic-coded"
                    : precision != 8 ? precision + "-bit" : null;
            if (kind != null) {
                throw new FormatException(where + ": a " + kind + " JPEG, which this service cannot decode to draw the "
                        + "visible label on; label it without the visible label (--no-explicit, or explicit=false in the "
                        + "API), which leaves its pixels as they are");
            }
            return;
        }
    }

    /** Width and height from the frame header (SOF0..SOF15 except DHT, JPG and DAC). */
    private static int[] size(byte[] b, List<Segment> segments, String where) throws FormatException {
        for (Segment s : segments) {
            int m = s.marker();
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && s.data() + 5 <= s.end()) {
                int height = ((b[s.data() + 1] & 0xff) << 8) | (b[s.data() + 2] & 0xff);
                int width = ((b[s.data() + 3] & 0xff) << 8) | (b[s.data() + 4] & 0xff);
                return new int[] {width, height};
            }
        }
        throw new FormatException(where + ": no frame header (SOF) before the image data; the file is damaged");
    }

    /**
     * The segments from SOI up to and including SOS (whose {@code end} is the end of its header).
     *
     * @throws FormatException naming the offset where the structure breaks
     */
    static List<Segment> segments(byte[] b, String where) throws FormatException {
        if (!Bytes.startsWith(b, 0, MAGIC)) {
            throw new FormatException(where + " is not a JPEG (no FF D8 FF header; " + Containers.describe(b) + ")");
        }
        List<Segment> out = new ArrayList<>();
        int at = 2;
        while (true) {
            if (at + 1 >= b.length) {
                throw new FormatException(where + ": the file ends at offset " + b.length
                        + " before the image data (truncated download?)");
            }
            if ((b[at] & 0xff) != 0xFF) {
                throw new FormatException(where + ": expected a marker at offset " + at + " (the file is damaged)");
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
                throw new FormatException(where + ": unexpected marker FF " + String.format("%02X", m)
                        + " at offset " + at + " before the image data (the file is damaged)");
            }
            if (at + 4 > b.length) {
                throw new FormatException(where + ": truncated segment at offset " + at + " (truncated download?)");
            }
            int len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (len < 2 || at + 2 + len > b.length) {
                throw new FormatException(where + ": segment FF " + String.format("%02X", m) + " at offset "
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
        return s.marker() == APP1 && s.data() + XMP_HEADER.length <= s.end() && Bytes.startsWith(b, s.data(), XMP_HEADER);
    }

    private static Optional<Segment> xmpSegment(byte[] b, List<Segment> segments, String where) throws FormatException {
        Segment found = null;
        for (Segment s : segments) {
            if (isXmp(b, s)) {
                if (found != null) {
                    throw new FormatException(where + ": two XMP APP1 segments (offsets " + found.start() + " and "
                            + s.start() + "); a JPEG has at most one, remove one");
                }
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] packet(byte[] b, Segment s) {
        return Arrays.copyOfRange(b, s.data() + XMP_HEADER.length, s.end());
    }

    /** A whole APP1 segment: marker, length, {@code payload}. */
    static byte[] app1(byte[] payload, String where) throws FormatException {
        if (payload.length > MAX_SEGMENT) {
            throw new FormatException(where + ": the XMP packet would need " + payload.length + " bytes, more than the "
                    + MAX_SEGMENT + " one JPEG segment holds, and cannot be split into extended XMP (it already has "
                    + "an extension, or the value alone is too large); shorten the value or remove XMP properties "
                    + "from the image");
        }
        int len = payload.length + 2;
        return Bytes.concat(new byte[] {(byte) 0xFF, (byte) APP1, (byte) (len >>> 8), (byte) len}, payload);
    }
}
