package dev.yuanjian.container;

import java.util.Optional;

/**
 * Where a format carries a C2PA manifest store (C2PA 2.2, Annex A): the JUMBF bytes of the store,
 * framed as the format requires. A container offers this through {@link Container#manifestSlot()};
 * what the store means (claims, signatures, hashes) is the {@code c2pa} package's business.
 */
public interface ManifestSlot {

    /**
     * The manifest store's JUMBF bytes (the {@code c2pa} superbox, unframed), or empty.
     *
     * @throws FormatException when the file is corrupt, or holds two stores or a store cut short
     */
    Optional<byte[]> read(Asset asset) throws FormatException;

    /** The asset without any manifest store: every other byte kept, framing recomputed. */
    Asset remove(Asset asset) throws FormatException;

    /**
     * Where {@link #embed} would put a store of {@code storeLength} bytes in {@code asset} (which must
     * hold no store), without copying the file: a writer settles the store's size with this, since
     * the store records its own place. (Bytes outside that range may change too: a WebP's RIFF size.)
     */
    Placement place(Asset asset, int storeLength) throws FormatException;

    /** A store's place: as {@link Embedded}, without the file. */
    record Placement(long start, long length) {
    }

    /**
     * The asset (which must hold no store) with {@code store} embedded, and the byte range that the
     * store's framing occupies in the result: the exclusion of C2PA's {@code c2pa.hash.data}.
     *
     * @throws FormatException when the file already holds a store or cannot carry one this large
     */
    Embedded embed(Asset asset, byte[] store) throws FormatException;

    /**
     * @param asset  the asset with the store embedded
     * @param start  offset of the first byte of the store's framing (a JPEG marker, a PNG chunk's length)
     * @param length bytes of framing and store together, to the end of the last segment or chunk
     */
    record Embedded(Asset asset, long start, long length) {
    }
}
