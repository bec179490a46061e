package dev.yuanjian.container;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The C2PA manifest store of a JPEG (C2PA 2.2, A.3.1): APP11 segments in the JPEG XT box format
 * (ISO/IEC 18477-3). Each segment is {@code FF EB}, its length, {@code CI = "JP"}, the box instance
 * number {@code En}, the packet sequence number {@code Z} (from 1), then box bytes: the first
 * segment the store's start, each later one the store's {@code LBox} and {@code TBox} again and
 * the next bytes. The segments are placed after the leading APP0 (JFIF) and APP1 (Exif, XMP)
 * segments; the exclusion covers all of them, markers and lengths included.
 */
final class JpegManifestSlot implements ManifestSlot {
    static final int APP11 = 0xEB;
    /** Box bytes per segment: a segment holds at most 65,533 bytes after its length field. */
    private static final int CHUNK = 64_000;
    /** The box instance number this writer gives the store. */
    private static final int INSTANCE = 1;

    /** One APP11 JPEG XT segment: its instance, sequence number and where its box bytes are. */
    private record Packet(JpegContainer.Segment segment, int instance, long sequence, int boxBytes) {
    }

    @Override
    public Optional<byte[]> read(Asset asset) throws FormatException {
        List<List<Packet>> stores = stores(asset);
        if (stores.size() > 1) {
            throw new FormatException(asset.name() + ": " + stores.size() + " C2PA manifest stores in APP11 segments; "
                    + "a JPEG carries one");
        }
        if (stores.isEmpty()) {
            return Optional.empty();
        }
        List<Packet> group = stores.get(0);
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i).sequence() != i + 1) {
                throw new FormatException(asset.name() + ": the C2PA APP11 segments of box instance " + group.get(i).instance()
                        + " skip or repeat packet " + (i + 1) + " (at offset " + group.get(i).segment().start()
                        + "); the manifest store is damaged (labelling the image again replaces it)");
            }
        }
        return Optional.of(join(asset.bytes(), group, asset.name()));
    }

    @Override
    public Asset remove(Asset asset) throws FormatException {
        List<List<Packet>> stores = stores(asset);
        if (stores.isEmpty()) {
            return asset;
        }
        byte[] b = asset.bytes();
        // One segment at a time, last first, each through the container's splice: an MPF index
        // counts the first image's bytes, store included, and is corrected with each change.
        while (!stores.isEmpty()) {
            List<JpegContainer.Segment> drop = new ArrayList<>();
            stores.forEach(store -> store.forEach(p -> drop.add(p.segment())));
            JpegContainer.Segment last = drop.stream().max((x, y) -> Integer.compare(x.start(), y.start())).orElseThrow();
            b = JpegContainer.spliced(b, JpegContainer.segments(b, asset.name()), last.start(), last.end(), new byte[0],
                    asset.name());
            stores = stores(asset.withBytes(b));
        }
        return asset.withBytes(b);
    }

    @Override
    public Placement place(Asset asset, int storeLength) throws FormatException {
        // The first segment carries CHUNK bytes of the store, each later one CHUNK - 8 (after the repeated header).
        long segments = storeLength <= CHUNK ? 1 : 1 + (storeLength - CHUNK + (CHUNK - 8) - 1) / (CHUNK - 8);
        return new Placement(insertionPoint(asset), storeLength + 12 * segments + 8 * (segments - 1));
    }

    /** After SOI and the leading APP0 (JFIF) and APP1 (Exif, XMP) segments. */
    private static int insertionPoint(Asset asset) throws FormatException {
        int at = 2;
        for (JpegContainer.Segment s : JpegContainer.segments(asset.bytes(), asset.name())) {
            if (s.marker() != JpegContainer.APP0 && s.marker() != JpegContainer.APP1) {
                break;
            }
            at = s.end();
        }
        return at;
    }

    @Override
    public Embedded embed(Asset asset, byte[] store) throws FormatException {
        if (!stores(asset).isEmpty()) {
            throw new FormatException(asset.name() + " already holds a C2PA manifest store; remove it first");
        }
        if (store.length < 8) {
            throw new IllegalArgumentException("a manifest store is a JUMBF box of at least 8 bytes");
        }
        byte[] b = asset.bytes();
        int at = insertionPoint(asset);
        ByteArrayOutputStream segments = new ByteArrayOutputStream();
        long sequence = 1;
        for (int from = 0; from < store.length; sequence++) {
            boolean first = sequence == 1;
            int n = Math.min(first ? CHUNK : CHUNK - 8, store.length - from);
            int length = 2 + 2 + 2 + 4 + (first ? 0 : 8) + n;
            segments.writeBytes(new byte[] {(byte) 0xFF, (byte) APP11, (byte) (length >>> 8), (byte) length, 'J', 'P',
                    (byte) (INSTANCE >>> 8), (byte) INSTANCE,
                    (byte) (sequence >>> 24), (byte) (sequence >>> 16), (byte) (sequence >>> 8), (byte) sequence});
            if (!first) {
                segments.write(store, 0, 8); // each continuation repeats the store's LBox and TBox
            }
            segments.write(store, from, n);
            from += n;
        }
        byte[] framed = segments.toByteArray();
        // Through the container's splice, which corrects an MPF index for the longer first image.
        return new Embedded(asset.withBytes(JpegContainer.spliced(b, JpegContainer.segments(b, asset.name()), at, at, framed,
                asset.name())), at, framed.length);
    }

    /**
     * The APP11 JPEG XT packets of every C2PA store, grouped by instance, in sequence order, as
     * found: a damaged sequence is {@link #read}'s to report; {@link #remove} removes it all the same.
     */
    private static List<List<Packet>> stores(Asset asset) throws FormatException {
        // A repeated first packet would start a second group for the same instance: count each instance once.
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        byte[] b = asset.bytes();
        List<Packet> packets = new ArrayList<>();
        for (JpegContainer.Segment s : JpegContainer.segments(b, asset.name())) {
            if (s.marker() == APP11 && s.end() - s.data() >= 8 && b[s.data()] == 'J' && b[s.data() + 1] == 'P') {
                int instance = ((b[s.data() + 2] & 0xff) << 8) | (b[s.data() + 3] & 0xff);
                long sequence = ((long) (b[s.data() + 4] & 0xff) << 24) | ((b[s.data() + 5] & 0xff) << 16)
                        | ((b[s.data() + 6] & 0xff) << 8) | (b[s.data() + 7] & 0xff);
                packets.add(new Packet(s, instance, sequence, s.data() + 8));
            }
        }
        List<List<Packet>> stores = new ArrayList<>();
        for (Packet p : packets) {
            if (p.sequence() != 1 || !seen.add(p.instance())) {
                continue;
            }
            // A store is the instance whose first packet opens a superbox described as 'c2pa'.
            int box = p.boxBytes();
            if (p.segment().end() - box < 8 + 8 + 16 + 1 + 5 || !isC2paStore(b, box)) {
                continue;
            }
            List<Packet> group = packets.stream().filter(q -> q.instance() == p.instance())
                    .sorted((x, y) -> Long.compare(x.sequence(), y.sequence())).toList();
            stores.add(group);
        }
        return stores;
    }

    private static boolean isC2paStore(byte[] b, int box) {
        // LBox TBox('jumb') | LBox TBox('jumd') UUID('c2pa'...) toggles label
        return b[box + 4] == 'j' && b[box + 5] == 'u' && b[box + 6] == 'm' && b[box + 7] == 'b'
                && b[box + 12] == 'j' && b[box + 13] == 'u' && b[box + 14] == 'm' && b[box + 15] == 'd'
                && b[box + 16] == 'c' && b[box + 17] == '2' && b[box + 18] == 'p' && b[box + 19] == 'a';
    }

    private static byte[] join(byte[] b, List<Packet> packets, String where) throws FormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Packet p : packets) {
            int from = p.sequence() == 1 ? p.boxBytes() : p.boxBytes() + 8;
            if (from > p.segment().end()) {
                throw new FormatException(where + ": C2PA APP11 packet " + p.sequence() + " at offset "
                        + p.segment().start() + " is too short to continue the manifest store");
            }
            out.write(b, from, p.segment().end() - from);
        }
        byte[] store = out.toByteArray();
        long declared = ((long) (store[0] & 0xff) << 24) | ((store[1] & 0xff) << 16) | ((store[2] & 0xff) << 8) | (store[3] & 0xff);
        if (declared != store.length) {
            throw new FormatException(where + ": the C2PA manifest store declares " + declared + " bytes but its APP11 "
                    + "segments hold " + store.length + "; the store is cut short or damaged");
        }
        return store;
    }
}
