package dev.yuanjian.container;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The C2PA manifest store of a PNG: the data of its {@code caBX} chunk (C2PA 2.2, A.3.3), placed
 * just before the first {@code IDAT}, after every other chunk that precedes the image data. Not
 * right after {@code IHDR}: ExifTool (12.57) keys the directories it has read by offset, and a
 * JUMBF box read before an {@code eXIf} chunk hides the Exif ("IFD0 pointer references previous
 * JUMBFBox directory"), so an image's orientation and camera data would vanish for it. The
 * exclusion is the whole chunk: length, type, data and CRC.
 */
final class PngManifestSlot implements ManifestSlot {
    static final String TYPE = "caBX";

    @Override
    public Optional<byte[]> read(Asset asset) throws FormatException {
        byte[] b = asset.bytes();
        PngContainer.Chunk found = null;
        for (PngContainer.Chunk c : PngContainer.chunks(b, asset.name())) {
            if (c.type().equals(TYPE)) {
                if (found != null) {
                    throw new FormatException(asset.name() + ": two C2PA caBX chunks (offsets " + found.start() + " and "
                            + c.start() + "); a PNG carries one manifest store");
                }
                found = c;
            }
        }
        return found == null ? Optional.empty() : Optional.of(Arrays.copyOfRange(b, found.data(), found.data() + found.length()));
    }

    @Override
    public Asset remove(Asset asset) throws FormatException {
        byte[] b = asset.bytes();
        List<PngContainer.Chunk> stores = PngContainer.chunks(b, asset.name()).stream()
                .filter(c -> c.type().equals(TYPE)).toList();
        for (int i = stores.size() - 1; i >= 0; i--) {
            b = Bytes.splice(b, stores.get(i).start(), stores.get(i).end(), new byte[0]);
        }
        return stores.isEmpty() ? asset : asset.withBytes(b);
    }

    /** The start of the first IDAT chunk (a PNG has one: the container checks). */
    private static int insertionPoint(Asset asset) throws FormatException {
        for (PngContainer.Chunk c : PngContainer.chunks(asset.bytes(), asset.name())) {
            if (c.type().equals("IDAT")) {
                return c.start();
            }
        }
        throw new FormatException(asset.name() + ": no IDAT chunk, so no image data to bind; the file is damaged");
    }

    @Override
    public Placement place(Asset asset, int storeLength) throws FormatException {
        return new Placement(insertionPoint(asset), 12L + storeLength);
    }

    @Override
    public Embedded embed(Asset asset, byte[] store) throws FormatException {
        byte[] b = asset.bytes();
        if (read(asset).isPresent()) {
            throw new FormatException(asset.name() + " already holds a C2PA manifest store; remove it first");
        }
        int at = insertionPoint(asset);
        byte[] chunk = PngContainer.chunk(TYPE, store);
        return new Embedded(asset.withBytes(Bytes.splice(b, at, at, chunk)), at, chunk.length);
    }
}
