package dev.yuanjian.container;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG images. Metadata is an XMP property ({@link Xmp}) in the PNG's XMP packet: the {@code iTXt}
 * chunk with keyword {@value #XMP_KEYWORD}. When the file has none, an uncompressed one is
 * created right after {@code IHDR}; when it has one, that chunk is rewritten in place, keeping its
 * keyword, language tag and translated keyword, uncompressed (a compressed packet is inflated and
 * stored uncompressed, so the value sits in the file as text). Every other chunk is copied byte for
 * byte; the rewritten chunk's length and CRC-32 are recomputed.
 *
 * <p>Untrusted input: the signature, every chunk's length (within the file) and CRC, {@code IHDR}
 * first with 13 bytes, {@code IEND} last with nothing after it, at most one XMP chunk, well-formed
 * {@code iTXt} headers; a compressed XMP chunk is inflated up to {@value #MAX_INFLATED} bytes.
 *
 * <p>{@link #raster()}: {@code javax.imageio} decodes (size checked first, see
 * {@link ImagePixels#MAX_PIXELS}) and encodes the new pixels, writing its own {@code IHDR},
 * {@code PLTE}, {@code tRNS}, {@code IDAT} and {@code IEND}. Carried over from the original, in
 * their original order right after the new {@code IHDR}:
 * <ul>
 *   <li>always: {@code tEXt}, {@code zTXt}, {@code iTXt} (so the XMP packet), {@code pHYs},
 *       {@code eXIf} (which do not depend on how pixels are stored) and {@code caBX} (a C2PA
 *       manifest store: its data hash no longer matches, but the C2PA mark takes its manifest as
 *       the new manifest's parent);</li>
 *   <li>when the new image is in the original's colour family (grey: colour types 0 and 4; RGB:
 *       2, 3 and 6, so a palette image drawn on in RGB keeps them): {@code iCCP}, {@code sRGB},
 *       {@code gAMA} and {@code cHRM}, which describe colours of that family (a grey ICC profile
 *       cannot describe RGB pixels); otherwise the encoder's own colour chunks, if any, are used.</li>
 *   <li>when the new image has the original's colour type and bit depth: {@code bKGD} and
 *       {@code sBIT}, whose values are in that pixel format.</li>
 * </ul>
 * Everything else is dropped: {@code tIME} (it dates the original's last change, not this one),
 * {@code hIST} and {@code sPLT}, private chunks, and APNG animation (only the first frame is
 * re-encoded).
 */
public final class PngContainer implements Container {
    static final byte[] MAGIC = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    private static final int MAX_INFLATED = 16 * 1024 * 1024;
    private static final FormatSignature SIGNATURE = FormatSignature.binary("png", "image/png", List.of(".png"), MAGIC);
    private static final Set<String> KEPT_ALWAYS = Set.of("tEXt", "zTXt", "iTXt", "pHYs", "eXIf", "caBX");
    private static final Set<String> KEPT_FOR_SAME_COLOUR_TYPE = Set.of("iCCP", "sRGB", "gAMA", "cHRM");
    /** Chunks whose values are in the stored pixel format: kept when colour type and bit depth are unchanged. */
    private static final Set<String> KEPT_FOR_SAME_PIXEL_FORMAT = Set.of("bKGD", "sBIT");
    private static final int BIT_DEPTH_OFFSET = 8;
    private static final int COLOUR_TYPE_OFFSET = 9;

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** One chunk: {@code start} is its length field, {@code data} the offset of its data. */
    record Chunk(String type, int start, int data, int length) {
        int crcAt() {
            return data + length;
        }

        int end() {
            return data + length + 4;
        }
    }

    /** An iTXt chunk's header: {@code text} is where its (possibly compressed) text starts. */
    record ITxt(String keyword, boolean compressed, int compressionFlag, int text) {
    }

    /** The XMP chunk and its header. */
    private record XmpChunk(Chunk chunk, ITxt itxt) {
    }

    @Override
    public void check(Asset asset) throws FormatException {
        xmpChunk(asset.bytes(), chunks(asset.bytes(), asset.name()), asset.name());
    }

    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        Optional<XmpChunk> x = xmpChunk(b, chunks(b, where), where);
        if (x.isEmpty()) {
            return Optional.empty();
        }
        return Xmp.get(packet(b, x.get(), where), key, where + " (XMP iTXt chunk at offset " + x.get().chunk().start() + ")");
    }

    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Chunk> chunks = chunks(b, where);
        Optional<XmpChunk> x = xmpChunk(b, chunks, where);
        if (x.isEmpty()) {
            byte[] header = Bytes.concat(Bytes.ascii(XMP_KEYWORD), new byte[] {0, 0, 0, 0, 0});
            byte[] chunk = chunk("iTXt", Bytes.concat(header, Xmp.set(null, key, value, where + " (XMP)")));
            int afterIhdr = chunks.get(0).end();
            return asset.withBytes(Bytes.splice(b, afterIhdr, afterIhdr, chunk));
        }
        Chunk c = x.get().chunk();
        ITxt t = x.get().itxt();
        String inChunk = where + " (XMP iTXt chunk at offset " + c.start() + ")";
        byte[] packet = Xmp.set(packet(b, x.get(), where), key, value, inChunk);
        // Keyword, language tag and translated keyword as they were; compression flag and method 0.
        byte[] header = Arrays.copyOfRange(b, c.data(), t.text());
        header[t.compressionFlag() - c.data()] = 0;
        header[t.compressionFlag() - c.data() + 1] = 0;
        byte[] data = Bytes.concat(header, packet);
        return asset.withBytes(Bytes.splice(b, c.start(), c.end(), chunk("iTXt", data)));
    }

    /** The C2PA manifest store's place ({@link PngManifestSlot}). */
    @Override
    public Optional<ManifestSlot> manifestSlot() {
        return Optional.of(new PngManifestSlot());
    }

    @Override
    public Optional<Raster> raster() {
        return Optional.of(new Raster() {
            @Override
            public BufferedImage decode(Asset asset) throws FormatException {
                chunks(asset.bytes(), asset.name());
                return ImagePixels.decode(asset.bytes(), asset.name());
            }

            @Override
            public Asset encode(Asset original, BufferedImage pixels) throws FormatException {
                return reencode(original, pixels);
            }

            /** From the APNG {@code acTL} chunk's {@code num_frames}; 1 for a still PNG. */
            @Override
            public int frames(Asset asset) throws FormatException {
                byte[] b = asset.bytes();
                for (Chunk c : chunks(b, asset.name())) {
                    if (c.type().equals("acTL") && c.length() >= 8) {
                        return Math.max(1, (int) Math.min(Integer.MAX_VALUE, u32(b, c.data())));
                    }
                }
                return 1;
            }

            /** From the {@code eXIf} chunk. */
            @Override
            public int orientation(Asset asset) throws FormatException {
                byte[] b = asset.bytes();
                for (Chunk c : chunks(b, asset.name())) {
                    if (c.type().equals("eXIf")) {
                        return ExifOrientation.of(b, c.data(), c.crcAt());
                    }
                }
                return 1;
            }
        });
    }

    private static Asset reencode(Asset original, BufferedImage pixels) throws FormatException {
        byte[] b = original.bytes();
        String where = original.name();
        List<Chunk> old = chunks(b, where);
        Chunk ihdr = old.get(0);
        long width = u32(b, ihdr.data());
        long height = u32(b, ihdr.data() + 4);
        if (pixels.getWidth() != width || pixels.getHeight() != height) {
            throw new IllegalArgumentException("pixels of " + pixels.getWidth() + " x " + pixels.getHeight()
                    + " cannot replace the " + width + " x " + height + " image " + where + "; keep the size");
        }
        byte[] fresh = ImagePixels.encodePng(pixels, where);
        List<Chunk> made = chunks(fresh, where + " (re-encoded)");
        boolean sameColourFamily = grey(b[ihdr.data() + COLOUR_TYPE_OFFSET]) == grey(fresh[made.get(0).data() + COLOUR_TYPE_OFFSET]);
        int newIhdr = made.get(0).data();
        boolean samePixelFormat = b[ihdr.data() + COLOUR_TYPE_OFFSET] == fresh[newIhdr + COLOUR_TYPE_OFFSET]
                && b[ihdr.data() + BIT_DEPTH_OFFSET] == fresh[newIhdr + BIT_DEPTH_OFFSET];
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + fresh.length);
        out.write(fresh, 0, made.get(0).end());
        for (Chunk c : old) {
            if (kept(c.type(), sameColourFamily, samePixelFormat)) {
                out.write(b, c.start(), c.end() - c.start());
            }
        }
        for (Chunk c : made.subList(1, made.size())) {
            if (!kept(c.type(), sameColourFamily, samePixelFormat)) {
                out.write(fresh, c.start(), c.end() - c.start());
            }
        }
        return original.withBytes(out.toByteArray());
    }

    private static boolean kept(String type, boolean sameColourFamily, boolean samePixelFormat) {
        return KEPT_ALWAYS.contains(type) || (sameColourFamily && KEPT_FOR_SAME_COLOUR_TYPE.contains(type))
                || (samePixelFormat && KEPT_FOR_SAME_PIXEL_FORMAT.contains(type));
    }

    /** Colour types 0 (grey) and 4 (grey with alpha) have no colour bit (2). */
    private static boolean grey(byte colourType) {
        return (colourType & 2) == 0;
    }

    /**
     * The chunks of {@code b}, every length and CRC checked.
     *
     * @throws FormatException naming the chunk and offset that are wrong
     */
    static List<Chunk> chunks(byte[] b, String where) throws FormatException {
        if (!Bytes.startsWith(b, 0, MAGIC)) {
            throw new FormatException(where + " is not a PNG (no PNG signature; " + Containers.describe(b) + ")");
        }
        List<Chunk> out = new ArrayList<>();
        int at = MAGIC.length;
        while (at < b.length) {
            if (at + 12 > b.length) {
                throw new FormatException(where + ": truncated chunk header at offset " + at
                        + "; the file was cut short, download or save it again");
            }
            long length = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new FormatException(where + ": bad chunk type at offset " + at + " (the file is damaged)");
            }
            if (length > Integer.MAX_VALUE || at + 12 + length > b.length) {
                throw new FormatException(where + ": chunk " + type + " at offset " + at + " declares "
                        + length + " bytes, past the end of the file (truncated download?)");
            }
            Chunk c = new Chunk(type, at, at + 8, (int) length);
            CRC32 crc = new CRC32();
            crc.update(b, at + 4, 4 + c.length());
            if (crc.getValue() != u32(b, c.crcAt())) {
                throw new FormatException(where + ": chunk " + type + " at offset " + at
                        + " fails its CRC check (the file is damaged)");
            }
            out.add(c);
            at = c.end();
            if (type.equals("IEND")) {
                break;
            }
        }
        if (out.isEmpty() || !out.get(0).type().equals("IHDR") || out.get(0).length() != 13) {
            throw new FormatException(where + ": the first chunk must be a 13-byte IHDR (the file is damaged)");
        }
        if (!out.get(out.size() - 1).type().equals("IEND")) {
            throw new FormatException(where + ": no IEND chunk (truncated file?)");
        }
        if (at != b.length) {
            throw new FormatException(where + ": " + (b.length - at) + " bytes after IEND at offset " + at
                    + "; remove them or save the image again");
        }
        return out;
    }

    /** The header of iTXt chunk {@code c}. */
    static ITxt itxt(byte[] b, Chunk c, String where) throws FormatException {
        int end = c.data() + c.length();
        int nul = indexOf0(b, c.data(), end);
        if (nul < 0 || nul + 2 >= end) {
            throw new FormatException(where + ": malformed iTXt chunk at offset " + c.start() + " (no keyword)");
        }
        String keyword = new String(b, c.data(), nul - c.data(), StandardCharsets.ISO_8859_1);
        boolean compressed = b[nul + 1] != 0;
        int lang = indexOf0(b, nul + 3, end);
        int translated = lang < 0 ? -1 : indexOf0(b, lang + 1, end);
        if (translated < 0) {
            throw new FormatException(where + ": malformed iTXt chunk at offset " + c.start()
                    + " (language tag or translated keyword not terminated)");
        }
        return new ITxt(keyword, compressed, nul + 1, translated + 1);
    }

    private static Optional<XmpChunk> xmpChunk(byte[] b, List<Chunk> chunks, String where) throws FormatException {
        XmpChunk found = null;
        for (Chunk c : chunks) {
            if (c.type().equals("iTXt")) {
                ITxt t = itxt(b, c, where);
                if (t.keyword().equals(XMP_KEYWORD)) {
                    if (found != null) {
                        throw new FormatException(where + ": two XMP iTXt chunks (offsets " + found.chunk().start()
                                + " and " + c.start() + "); a PNG has at most one, remove one");
                    }
                    found = new XmpChunk(c, t);
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] packet(byte[] b, XmpChunk x, String where) throws FormatException {
        int from = x.itxt().text();
        int to = x.chunk().crcAt();
        byte[] raw = Arrays.copyOfRange(b, from, to);
        if (!x.itxt().compressed()) {
            return raw;
        }
        String inChunk = where + ": the compressed XMP iTXt chunk at offset " + x.chunk().start();
        Inflater inf = new Inflater();
        try {
            inf.setInput(raw);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new FormatException(inChunk + " is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new FormatException(inChunk + " inflates past " + MAX_INFLATED + " bytes; refused");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new FormatException(inChunk + " is corrupt (" + e.getMessage() + ")", e);
        } finally {
            inf.end();
        }
    }

    /** A whole chunk: length, type, {@code data}, CRC-32 over type and data. */
    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        putU32(out, 0, data.length);
        System.arraycopy(Bytes.ascii(type), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        putU32(out, 8 + data.length, crc.getValue());
        return out;
    }

    private static int indexOf0(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
