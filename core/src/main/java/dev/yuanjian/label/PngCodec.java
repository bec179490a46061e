package dev.yuanjian.label;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG images. The implicit label is the XMP property {@code TC260:AIGC} (see {@link ImageXmp}) in
 * the PNG's XMP packet: one uncompressed {@code iTXt} chunk with keyword {@value #XMP_KEYWORD},
 * placed right after {@code IHDR} when the codec creates it, edited in place when the file has one.
 * Every other chunk is copied byte for byte; the rewritten chunk gets its CRC-32 recomputed.
 *
 * <p>Protected digest, exactly: SHA-256 over the file's bytes with two ranges cut out, (1) the
 * bytes of the {@code ReservedCode1} value in the XMP chunk (between its JSON quotes, as stored)
 * and (2) the 4-byte CRC of that chunk, which depends on the value. The chunk's length field is
 * covered: a value of another length changes the digest. A file without a label hashes whole.
 *
 * <p>Explicit label: visible text drawn in the bottom-right corner ({@link ImageRaster}); the image
 * is decoded and encoded again by {@code javax.imageio}, which keeps the pixels but writes its own
 * critical chunks, so the codec carries the original's text and XMP chunks ({@code tEXt},
 * {@code zTXt}, {@code iTXt}) and {@code pHYs} over; colour chunks ({@code gAMA}, {@code iCCP},
 * {@code sRGB}...) are dropped. The codec records what it drew in an {@code iTXt} chunk with
 * keyword {@value #EXPLICIT_KEYWORD}. {@link #hasExplicit} reads only that chunk: it cannot read
 * pixels, so it reports our own visible label, not text some other tool drew.
 *
 * <p>Untrusted input: every chunk's length must fit the file and its CRC must match, the file must
 * start with {@code IHDR} and end with {@code IEND}; a compressed XMP chunk is inflated up to 16 MiB.
 */
public final class PngCodec implements LabelCodec {
    static final byte[] MAGIC = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    static final String EXPLICIT_KEYWORD = "Yuanjian-Explicit-Label";
    private static final int MAX_INFLATED = 16 * 1024 * 1024;
    private static final Set<String> KEPT_ON_REENCODE = Set.of("tEXt", "zTXt", "iTXt", "pHYs");

    @Override
    public String format() {
        return "png";
    }

    @Override
    public String mediaType() {
        return "image/png";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return Bytes.startsWith(head, 0, MAGIC);
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

    /** The iTXt text of a chunk, when it is uncompressed: its offset in the file and length. */
    record ITxt(String keyword, boolean compressed, int textStart, int textEnd) {
    }

    static List<Chunk> chunks(byte[] b, String where) throws LabelFormatException {
        if (!Bytes.startsWith(b, 0, MAGIC)) {
            throw new LabelFormatException(where + " is not a PNG (no PNG signature)");
        }
        List<Chunk> out = new ArrayList<>();
        int at = MAGIC.length;
        while (at < b.length) {
            if (at + 12 > b.length) {
                throw new LabelFormatException(where + ": truncated chunk header at offset " + at);
            }
            long length = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new LabelFormatException(where + ": bad chunk type at offset " + at);
            }
            if (length > Integer.MAX_VALUE || at + 12 + length > b.length) {
                throw new LabelFormatException(where + ": chunk " + type + " at offset " + at + " declares "
                        + length + " bytes, past the end of the file (truncated download?)");
            }
            Chunk c = new Chunk(type, at, at + 8, (int) length);
            CRC32 crc = new CRC32();
            crc.update(b, at + 4, 4 + c.length());
            if (crc.getValue() != u32(b, c.crcAt())) {
                throw new LabelFormatException(where + ": chunk " + type + " at offset " + at + " fails its CRC check");
            }
            out.add(c);
            at = c.end();
            if (type.equals("IEND")) {
                break;
            }
        }
        if (out.isEmpty() || !out.get(0).type().equals("IHDR") || out.get(0).length() != 13) {
            throw new LabelFormatException(where + ": the first chunk must be IHDR");
        }
        if (!out.get(out.size() - 1).type().equals("IEND")) {
            throw new LabelFormatException(where + ": no IEND chunk (truncated file?)");
        }
        if (at != b.length) {
            throw new LabelFormatException(where + ": " + (b.length - at) + " bytes after IEND");
        }
        return out;
    }

    static ITxt itxt(byte[] b, Chunk c, String where) throws LabelFormatException {
        int end = c.data() + c.length();
        int nul = indexOf0(b, c.data(), end);
        if (nul < 0 || nul + 2 >= end) {
            throw new LabelFormatException(where + ": malformed iTXt chunk at offset " + c.start());
        }
        String keyword = new String(b, c.data(), nul - c.data(), StandardCharsets.ISO_8859_1);
        boolean compressed = b[nul + 1] != 0;
        int lang = indexOf0(b, nul + 3, end);
        int translated = lang < 0 ? -1 : indexOf0(b, lang + 1, end);
        if (translated < 0) {
            throw new LabelFormatException(where + ": malformed iTXt chunk at offset " + c.start());
        }
        return new ITxt(keyword, compressed, translated + 1, end);
    }

    private record Xmp(Chunk chunk, ITxt text) {
    }

    private static Optional<Xmp> xmp(byte[] b, List<Chunk> chunks, String where) throws LabelFormatException {
        Xmp found = null;
        for (Chunk c : chunks) {
            if (c.type().equals("iTXt")) {
                ITxt t = itxt(b, c, where);
                if (t.keyword().equals(XMP_KEYWORD)) {
                    if (found != null) {
                        throw new LabelFormatException(where + ": two XMP iTXt chunks; a PNG has at most one");
                    }
                    found = new Xmp(c, t);
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] packet(byte[] b, ITxt t, String where) throws LabelFormatException {
        byte[] raw = java.util.Arrays.copyOfRange(b, t.textStart(), t.textEnd());
        if (!t.compressed()) {
            return raw;
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(raw);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new LabelFormatException(where + ": truncated compressed XMP");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new LabelFormatException(where + ": compressed XMP inflates past " + MAX_INFLATED + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new LabelFormatException(where + ": corrupt compressed XMP (" + e.getMessage() + ")", e);
        } finally {
            inf.end();
        }
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        Optional<Xmp> x = xmp(b, chunks(b, where), where);
        if (x.isEmpty()) {
            return Optional.empty();
        }
        return ImageXmp.read(packet(b, x.get().text(), where), where + " (XMP iTXt)");
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Chunk> chunks = chunks(b, where);
        Optional<Xmp> x = xmp(b, chunks, where);
        byte[] existing = x.isPresent() ? packet(b, x.get().text(), where) : null;
        byte[] packet = ImageXmp.rewrite(existing, label, where + " (XMP iTXt)");
        byte[] chunk = chunk("iTXt", Bytes.concat(Bytes.ascii(XMP_KEYWORD), new byte[] {0, 0, 0, 0, 0}, packet));
        if (x.isPresent()) {
            Chunk c = x.get().chunk();
            return asset.withBytes(Bytes.splice(b, c.start(), c.end(), chunk));
        }
        int afterIhdr = chunks.get(0).end();
        return asset.withBytes(Bytes.splice(b, afterIhdr, afterIhdr, chunk));
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        if (hasExplicit(asset, explicit)) {
            return asset;
        }
        byte[] b = asset.bytes();
        String where = asset.name();
        List<Chunk> chunks = chunks(b, where);
        String wording = ImageRaster.wording(explicit);
        byte[] drawn = ImageRaster.encodePng(ImageRaster.drawLabel(ImageRaster.decode(b, where), explicit));
        List<Chunk> fresh = chunks(drawn, "the re-encoded image");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int afterIhdr = fresh.get(0).end();
        out.write(drawn, 0, afterIhdr);
        for (Chunk c : chunks) {
            if (KEPT_ON_REENCODE.contains(c.type())) {
                out.write(b, c.start(), c.end() - c.start());
            }
        }
        out.writeBytes(chunk("iTXt", Bytes.concat(Bytes.ascii(EXPLICIT_KEYWORD), new byte[] {0, 0, 0, 0, 0},
                wording.getBytes(StandardCharsets.UTF_8))));
        for (Chunk c : fresh.subList(1, fresh.size())) {
            if (!KEPT_ON_REENCODE.contains(c.type())) {
                out.write(drawn, c.start(), c.end() - c.start());
            }
        }
        return asset.withBytes(out.toByteArray());
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        for (Chunk c : chunks(b, where)) {
            if (c.type().equals("iTXt")) {
                ITxt t = itxt(b, c, where);
                if (t.keyword().equals(EXPLICIT_KEYWORD) && !t.compressed() && explicit.isPresentIn(
                        new String(b, t.textStart(), t.textEnd() - t.textStart(), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public byte[] protectedDigest(Asset asset) throws LabelFormatException {
        byte[] b = asset.bytes();
        String where = asset.name();
        Optional<Xmp> x = xmp(b, chunks(b, where), where);
        if (x.isEmpty()) {
            return Bytes.sha256(b);
        }
        ITxt t = x.get().text();
        if (t.compressed()) {
            if (ImageXmp.read(packet(b, t, where), where).isPresent()) {
                throw new LabelFormatException(where + ": the label sits in a compressed XMP chunk, where "
                        + "ReservedCode1 cannot be cut out for the digest; write the label again");
            }
            return Bytes.sha256(b);
        }
        byte[] packet = java.util.Arrays.copyOfRange(b, t.textStart(), t.textEnd());
        Optional<LabelText.Span> span = ImageXmp.reservedCode1(packet, where + " (XMP iTXt)");
        if (span.isEmpty()) {
            return Bytes.sha256(b);
        }
        int s = t.textStart() + span.get().start();
        int e = t.textStart() + span.get().end();
        int crc = x.get().chunk().crcAt();
        MessageDigest md = Bytes.sha256();
        md.update(b, 0, s);
        md.update(b, e, crc - e);
        md.update(b, crc + 4, b.length - crc - 4);
        return md.digest();
    }

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
