package dev.yuanjian.container;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The C2PA manifest store of a PNG: the data of its {@code caBX} chunk (C2PA 2.2, A.3.3), placed
 * right after {@code IHDR}. The exclusion is the whole chunk: length, type, data and CRC.
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

    @Override
    public Placement place(Asset asset, int storeLength) throws FormatException {
        return new Placement(PngContainer.chunks(asset.bytes(), asset.name()).get(0).end(), 12L + storeLength);
    }

    @Override
    public Embedded embed(Asset asset, byte[] store) throws FormatException {
        byte[] b = asset.bytes();
        if (read(asset).isPresent()) {
            throw new FormatException(asset.name() + " already holds a C2PA manifest store; remove it first");
        }
        int at = PngContainer.chunks(b, asset.name()).get(0).end();
        byte[] chunk = PngContainer.chunk(TYPE, store);
        return new Embedded(asset.withBytes(Bytes.splice(b, at, at, chunk)), at, chunk.length);
    }
}
