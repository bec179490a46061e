package dev.yuanjian.container;

import java.util.List;
import java.util.Optional;

/**
 * The C2PA manifest store of a WebP: the payload of its top-level {@code C2PA} chunk (C2PA 2.2,
 * embedding into RIFF-based formats), placed as the last chunk as c2pa-rs places it, so the
 * specification's order of the WebP chunks before it stands. The exclusion is the chunk's header
 * and payload (8 + the store's length, as c2pa-rs's {@code riff_io} reports it); a pad byte after an
 * odd-sized store and the RIFF size at offset 4 are hashed.
 */
final class WebpManifestSlot implements ManifestSlot {
    static final String FOURCC = "C2PA";

    @Override
    public Optional<byte[]> read(Asset asset) throws FormatException {
        byte[] b = asset.bytes();
        WebpContainer.Chunk found = null;
        for (WebpContainer.Chunk c : WebpContainer.chunks(b, asset.name())) {
            if (c.fourcc().equals(FOURCC)) {
                if (found != null) {
                    throw new FormatException(asset.name() + ": two C2PA chunks (offsets " + found.start() + " and "
                            + c.start() + "); a WebP carries one manifest store");
                }
                found = c;
            }
        }
        return found == null ? Optional.empty() : Optional.of(WebpContainer.payload(b, found));
    }

    @Override
    public Asset remove(Asset asset) throws FormatException {
        byte[] b = asset.bytes();
        List<WebpContainer.Chunk> stores = WebpContainer.chunks(b, asset.name()).stream()
                .filter(c -> c.fourcc().equals(FOURCC)).toList();
        if (stores.isEmpty()) {
            return asset;
        }
        for (int i = stores.size() - 1; i >= 0; i--) {
            b = Bytes.splice(b, stores.get(i).start(), stores.get(i).end(), new byte[0]);
        }
        return asset.withBytes(WebpContainer.withRiffSize(b));
    }

    @Override
    public Placement place(Asset asset, int storeLength) throws FormatException {
        WebpContainer.chunks(asset.bytes(), asset.name());
        return new Placement(asset.bytes().length, 8L + storeLength);
    }

    @Override
    public Embedded embed(Asset asset, byte[] store) throws FormatException {
        if (read(asset).isPresent()) {
            throw new FormatException(asset.name() + " already holds a C2PA manifest store; remove it first");
        }
        byte[] b = asset.bytes();
        byte[] chunk = WebpContainer.chunk(FOURCC, store);
        byte[] out = WebpContainer.withRiffSize(Bytes.splice(b, b.length, b.length, chunk));
        return new Embedded(asset.withBytes(out), b.length, 8L + store.length);
    }
}
