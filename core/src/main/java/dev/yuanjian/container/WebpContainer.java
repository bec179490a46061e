package dev.yuanjian.container;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * WebP images (Google's WebP container specification: a RIFF file of FourCC {@code WEBP}). Metadata
 * is an XMP property ({@link Xmp}) in the file's {@code XMP } chunk, whose {@code VP8X} flag is set.
 *
 * <p>Layout: {@code RIFF}, the little-endian size of what follows, {@code WEBP}, then chunks: a
 * FourCC, a 32-bit little-endian payload size, the payload, and a pad byte when the size is odd.
 * A simple file (one {@code VP8 } lossy or {@code VP8L} lossless chunk) has no place for metadata:
 * writing XMP makes it an extended file by putting a {@code VP8X} chunk first, whose canvas is the
 * width and height read from the image chunk's bitstream header and whose flags say which of
 * {@code ICCP}, {@code EXIF}, {@code XMP }, alpha ({@code ALPH}, or the VP8L alpha bit) and
 * {@code ANIM} are present. A new {@code XMP } chunk goes after the image data and {@code EXIF}, as
 * the specification orders them ({@code VP8X, ICCP, ANIM, image, EXIF, XMP}), so unknown chunks
 * that follow (a C2PA store, {@link WebpManifestSlot}) stay last; an existing one is rewritten in
 * place. The RIFF size is recomputed; every other byte is kept.
 *
 * <p>Untrusted input: the RIFF header, its size equal to the file's length less 8, every chunk
 * within it with its pad byte, printable FourCCs, {@code VP8X} (10 bytes at least) only as the first
 * chunk, a simple file's first chunk an image chunk whose header parses (VP8: a key frame with its
 * start code {@code 9D 01 2A}; VP8L: signature {@code 0x2F}, version 0), at most one {@code XMP }
 * chunk. Anything else is a {@link FormatException} naming the chunk and its offset.
 *
 * <p>{@link #raster()} reads pixels (TwelveMonkeys' WebP reader, lossy and lossless) but cannot
 * write them: no WebP encoder exists for the JVM, so no visible label is drawn on a WebP image and
 * no watermark embedded; the metadata label and C2PA Content Credentials carry the label, and
 * verify still finds the watermark of a JPEG or PNG a platform converted to WebP.
 */
public final class WebpContainer implements Container {
    static final byte[] RIFF = Bytes.ascii("RIFF");
    static final byte[] WEBP = Bytes.ascii("WEBP");
    static final String VP8X = "VP8X";
    static final String VP8 = "VP8 ";
    static final String VP8L = "VP8L";
    static final String XMP = "XMP ";
    /** VP8X flag bits, in its first byte (the specification's Rsv|I|L|E|X|A|R, most significant first). */
    static final int ICC_FLAG = 0x20;
    static final int ALPHA_FLAG = 0x10;
    static final int EXIF_FLAG = 0x08;
    static final int XMP_FLAG = 0x04;
    static final int ANIMATION_FLAG = 0x02;
    /** RIFF header: "RIFF", size, "WEBP". */
    static final int HEADER = 12;
    private static final int VP8X_SIZE = 10;
    /** The chunks that the specification puts before XMP; a new XMP chunk goes after the last of them. */
    private static final Set<String> BEFORE_XMP = Set.of(VP8X, "ICCP", "ANIM", "ALPH", VP8, VP8L, "ANMF", "EXIF");
    private static final FormatSignature SIGNATURE = FormatSignature.binary("webp", "image/webp", List.of(".webp"), RIFF)
            .withMagicAt(8, WEBP);

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /**
     * One chunk: {@code start} is its FourCC, {@code data} its payload of {@code size} bytes;
     * {@link #end()} is past the pad byte.
     */
    record Chunk(String fourcc, int start, int data, int size) {
        int end() {
            return data + size + (size & 1);
        }
    }

    /** Canvas size in pixels and whether the bitstream says it has alpha. */
    record Canvas(int width, int height, boolean alpha) {
    }

    @Override
    public void check(Asset asset) throws FormatException {
        byte[] b = asset.bytes();
        List<Chunk> chunks = chunks(b, asset.name());
        xmpChunk(chunks, asset.name());
        if (!chunks.get(0).fourcc().equals(VP8X)) {
            canvas(b, chunks.get(0), asset.name());
            return;
        }
        extended(b, chunks, asset.name());
    }

    /**
     * An extended file must hold what its VP8X chunk promises, as decoders require: image data (a
     * VP8 or VP8L chunk, or ANIM with ANMF frames when the animation flag is set, and no frames
     * when it is not), an ICCP chunk exactly when the ICC flag is set, and for a still image a
     * canvas the size of its bitstream. A file that decodes nowhere must not be labelled and logged.
     */
    private static void extended(byte[] b, List<Chunk> chunks, String where) throws FormatException {
        Chunk x = chunks.get(0);
        int flags = b[x.data()] & 0xff;
        int width = u24(b, x.data() + 4) + 1;
        int height = u24(b, x.data() + 7) + 1;
        boolean animated = (flags & ANIMATION_FLAG) != 0;
        boolean frames = chunks.stream().anyMatch(c -> c.fourcc().equals("ANMF"));
        boolean anim = chunks.stream().anyMatch(c -> c.fourcc().equals("ANIM"));
        boolean icc = chunks.stream().anyMatch(c -> c.fourcc().equals("ICCP"));
        if (animated != (frames && anim) || (!animated && frames)) {
            throw new FormatException(where + ": the VP8X chunk " + (animated ? "says the image is animated, but it has no "
                    + "ANIM and ANMF chunks" : "says the image is still, but it has animation frames (ANMF)")
                    + "; decoders refuse it: get an intact copy of the file");
        }
        if (((flags & ICC_FLAG) != 0) != icc) {
            throw new FormatException(where + ": the VP8X chunk's ICC flag " + ((flags & ICC_FLAG) != 0 ? "is set without"
                    : "is clear despite") + " an ICCP chunk; decoders refuse it: get an intact copy of the file");
        }
        if (animated) {
            return;
        }
        Optional<Chunk> image = chunks.stream().filter(c -> c.fourcc().equals(VP8) || c.fourcc().equals(VP8L)).findFirst();
        if (image.isEmpty()) {
            throw new FormatException(where + ": an extended WebP (VP8X) with no image data (no VP8 or VP8L chunk); "
                    + "there is nothing to label: get an intact copy of the file");
        }
        Canvas canvas = canvas(b, image.get(), where);
        if (canvas.width() != width || canvas.height() != height) {
            throw new FormatException(where + ": the VP8X canvas is " + width + " x " + height + " but the image data is "
                    + canvas.width() + " x " + canvas.height() + "; decoders refuse it: get an intact copy of the file");
        }
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16);
    }

    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        byte[] b = asset.bytes();
        Optional<Chunk> x = xmpChunk(chunks(b, asset.name()), asset.name());
        if (x.isEmpty()) {
            return Optional.empty();
        }
        return Xmp.get(payload(b, x.get()), key, asset.name() + " (XMP chunk at offset " + x.get().start() + ")");
    }

    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Chunk> chunks = chunks(b, where);
        Optional<Chunk> x = xmpChunk(chunks, where);
        byte[] out;
        if (x.isPresent()) {
            Chunk c = x.get();
            byte[] packet = Xmp.set(payload(b, c), key, value, where + " (XMP chunk at offset " + c.start() + ")");
            out = Bytes.splice(b, c.start(), c.end(), chunk(XMP, packet));
        } else {
            int after = HEADER;
            for (Chunk c : chunks) {
                if (BEFORE_XMP.contains(c.fourcc())) {
                    after = c.end();
                }
            }
            out = Bytes.splice(b, after, after, chunk(XMP, Xmp.set(null, key, value, where + " (XMP)")));
        }
        if (chunks.get(0).fourcc().equals(VP8X)) {
            out[chunks.get(0).data()] |= XMP_FLAG;
        } else {
            out = Bytes.splice(out, HEADER, HEADER, vp8x(b, chunks, where));
        }
        return asset.withBytes(withRiffSize(out));
    }

    /** Pixels to read (the watermark's detector); never written ({@link Raster#encodes()} false). */
    @Override
    public Optional<Raster> raster() {
        return Optional.of(new Raster() {
            @Override
            public BufferedImage decode(Asset asset) throws FormatException {
                check(asset);
                return ImagePixels.decode(asset.bytes(), asset.name());
            }

            @Override
            public boolean encodes() {
                return false;
            }

            @Override
            public Asset encode(Asset original, BufferedImage pixels) throws FormatException {
                throw new FormatException(original.name() + ": WebP images cannot be re-encoded here (no WebP encoder "
                        + "for the JVM); their pixels are left as they are");
            }
        });
    }

    /** The C2PA manifest store's place ({@link WebpManifestSlot}). */
    @Override
    public Optional<ManifestSlot> manifestSlot() {
        return Optional.of(new WebpManifestSlot());
    }

    /**
     * The VP8X chunk that makes the simple file of {@code chunks} extended: flags for what is
     * present (XMP always, since it is written for XMP), canvas from the image chunk.
     */
    private static byte[] vp8x(byte[] b, List<Chunk> chunks, String where) throws FormatException {
        Canvas canvas = canvas(b, chunks.get(0), where);
        int flags = XMP_FLAG | (canvas.alpha() ? ALPHA_FLAG : 0);
        for (Chunk c : chunks) {
            flags |= switch (c.fourcc()) {
                case "ICCP" -> ICC_FLAG;
                case "EXIF" -> EXIF_FLAG;
                case "ALPH" -> ALPHA_FLAG;
                case "ANIM" -> ANIMATION_FLAG;
                default -> 0;
            };
        }
        byte[] data = new byte[VP8X_SIZE];
        data[0] = (byte) flags;
        putU24(data, 4, canvas.width() - 1);
        putU24(data, 7, canvas.height() - 1);
        return chunk(VP8X, data);
    }

    /**
     * The canvas of a simple file from its image chunk's bitstream header (VP8: RFC 6386 9.1, the
     * 14-bit sizes without their 2 scale bits; VP8L: the 14-bit sizes less one and the alpha hint).
     *
     * @throws FormatException when the chunk is no image chunk or its header does not parse
     */
    static Canvas canvas(byte[] b, Chunk c, String where) throws FormatException {
        String at = where + ": " + c.fourcc().strip() + " chunk at offset " + c.start();
        int d = c.data();
        switch (c.fourcc()) {
            case VP8L -> {
                if (c.size() < 5 || (b[d] & 0xff) != 0x2F) {
                    throw new FormatException(at + " does not start with the VP8L signature byte 0x2F (the file is damaged)");
                }
                long bits = u32(b, d + 1);
                if ((bits >>> 29) != 0) {
                    throw new FormatException(at + " has VP8L version " + (bits >>> 29) + "; only version 0 exists");
                }
                return new Canvas((int) (bits & 0x3FFF) + 1, (int) ((bits >>> 14) & 0x3FFF) + 1, ((bits >>> 28) & 1) != 0);
            }
            case VP8 -> {
                if (c.size() < 10) {
                    throw new FormatException(at + " is " + c.size() + " bytes, too short for a VP8 frame header");
                }
                int tag = (b[d] & 0xff) | (b[d + 1] & 0xff) << 8 | (b[d + 2] & 0xff) << 16;
                if ((tag & 1) != 0) {
                    throw new FormatException(at + " does not hold a VP8 key frame; a still WebP image starts with one");
                }
                if (((tag >>> 1) & 7) > 3 || ((tag >>> 4) & 1) == 0 || (tag >>> 5) >= c.size()) {
                    throw new FormatException(at + " has an invalid VP8 frame tag (profile, shown flag or partition size)");
                }
                if ((b[d + 3] & 0xff) != 0x9D || (b[d + 4] & 0xff) != 0x01 || (b[d + 5] & 0xff) != 0x2A) {
                    throw new FormatException(at + " lacks the VP8 start code 9D 01 2A (the file is damaged)");
                }
                int width = u16(b, d + 6) & 0x3FFF;
                int height = u16(b, d + 8) & 0x3FFF;
                if (width == 0 || height == 0) {
                    throw new FormatException(at + " declares a " + width + " x " + height + " image");
                }
                return new Canvas(width, height, false);
            }
            default -> throw new FormatException(where + ": the first chunk of a WebP without VP8X must be VP8 or VP8L, "
                    + "not '" + c.fourcc() + "' at offset " + c.start() + " (the file is damaged or not a still WebP image)");
        }
    }

    /**
     * The chunks of {@code b}, the RIFF header, every size, pad byte and the VP8X position checked.
     *
     * @throws FormatException naming what is wrong and where
     */
    static List<Chunk> chunks(byte[] b, String where) throws FormatException {
        if (b.length < HEADER || !Bytes.startsWith(b, 0, RIFF) || !Bytes.startsWith(b, 8, WEBP)) {
            throw new FormatException(where + " is not a WebP (no RIFF ... WEBP header; " + Containers.describe(b) + ")");
        }
        long riff = u32(b, 4);
        if (riff + 8 > b.length) {
            throw new FormatException(where + ": the RIFF header declares " + (riff + 8) + " bytes but the file has "
                    + b.length + "; the file was cut short, download or save it again");
        }
        if (riff + 8 < b.length) {
            throw new FormatException(where + ": " + (b.length - riff - 8) + " bytes after the RIFF data at offset "
                    + (riff + 8) + "; remove them or save the image again");
        }
        List<Chunk> out = new ArrayList<>();
        int end = b.length;
        int at = HEADER;
        while (at < end) {
            if (at + 8 > end) {
                throw new FormatException(where + ": truncated chunk header at offset " + at
                        + "; the file was cut short, download or save it again");
            }
            String fourcc = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            if (!fourcc.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
                throw new FormatException(where + ": bad chunk FourCC at offset " + at + " (the file is damaged)");
            }
            long size = u32(b, at + 4);
            if (at + 8 + size + (size & 1) > end) {
                String what = at + 8 + size > end ? "declares " + size + " bytes, past the end of the file"
                        : "has an odd size (" + size + ") and no pad byte after it";
                throw new FormatException(where + ": chunk '" + fourcc + "' at offset " + at + " " + what
                        + " (truncated download?)");
            }
            Chunk c = new Chunk(fourcc, at, at + 8, (int) size);
            if (c.fourcc().equals(VP8X) && (!out.isEmpty() || c.size() < VP8X_SIZE)) {
                throw new FormatException(where + ": VP8X chunk at offset " + at + (out.isEmpty()
                        ? " is " + c.size() + " bytes, less than its 10" : " is not the first chunk") + " (the file is damaged)");
            }
            out.add(c);
            at = c.end();
        }
        if (out.isEmpty()) {
            throw new FormatException(where + ": a WebP without any chunk (no image data)");
        }
        return out;
    }

    private static Optional<Chunk> xmpChunk(List<Chunk> chunks, String where) throws FormatException {
        Chunk found = null;
        for (Chunk c : chunks) {
            if (c.fourcc().equals(XMP)) {
                if (found != null) {
                    throw new FormatException(where + ": two XMP chunks (offsets " + found.start() + " and " + c.start()
                            + "); a WebP has at most one, remove one");
                }
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] payload(byte[] b, Chunk c) {
        return Arrays.copyOfRange(b, c.data(), c.data() + c.size());
    }

    /** A whole chunk: FourCC, little-endian size, {@code data}, and a zero pad byte when the size is odd. */
    static byte[] chunk(String fourcc, byte[] data) {
        byte[] out = new byte[8 + data.length + (data.length & 1)];
        System.arraycopy(Bytes.ascii(fourcc), 0, out, 0, 4);
        putU32(out, 4, data.length);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    /** {@code b} (changed in place) with its RIFF size set to its length less the 8 bytes before it. */
    static byte[] withRiffSize(byte[] b) {
        putU32(b, 4, b.length - 8L);
        return b;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void putU24(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
    }

    private static void putU32(byte[] b, int at, long v) {
        putU24(b, at, (int) v);
        b[at + 3] = (byte) (v >>> 24);
    }
}
