package dev.yuanjian.container;

import java.util.Optional;

/**
 * One file format's structure: where its metadata lives and how to rewrite it in place, nothing
 * more. A container knows no standard that uses it: the GB 45438 label, C2PA and the watermarks
 * are marks ({@code dev.yuanjian.mark}) that reuse every container. Modelled on c2pa-rs
 * {@code asset_handlers}: one implementation per format, the same few operations each.
 *
 * <p>Invariants every container keeps:
 * <ul>
 *   <li>{@link #withMetadata} replaces an existing value of the key, never adds a second, and
 *       keeps every other byte of the file that does not depend on that value (lengths and
 *       checksums framing the value are recomputed).</li>
 *   <li>It is a function of the file <em>without</em> the key's value and the new value:
 *       {@code withMetadata(withMetadata(a, k, v1), k, v)} and
 *       {@code withMetadata(withMetadata(a, k, v2), k, v)} are the same bytes for every
 *       {@code v1, v2}. Marks rely on it to compute a digest that leaves a value out (write a
 *       canonical value, hash the result).</li>
 *   <li>Corrupt input, or a key stored twice, raises {@link FormatException} saying what and where.</li>
 *   <li>Containers are stateless and thread-safe, and never open files: assets arrive as bytes.</li>
 * </ul>
 * Optional capabilities are offered by getters ({@link #textBody()}, {@link #raster()}), as in
 * c2pa-rs: a mark that needs one asks for it and skips containers that lack it.
 */
public interface Container {

    /** What files this container takes: its name, media type, extensions and magic bytes. */
    FormatSignature signature();

    /** Short stable name, e.g. "markdown", "png". */
    default String format() {
        return signature().format();
    }

    /** The IANA media type of files of this format. */
    default String mediaType() {
        return signature().mediaType();
    }

    /**
     * Checks that {@code asset} is a file of this format this container can read and rewrite.
     *
     * @throws FormatException naming what is broken and where (offset, part, chunk)
     */
    void check(Asset asset) throws FormatException;

    /**
     * The value stored under {@code key}, decoded from the format's escaping, or empty.
     *
     * @throws FormatException when the file is corrupt or holds the key twice where one is read
     */
    Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException;

    /** The file with {@code value} as the only value of {@code key} (see the class invariants). */
    Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException;

    /**
     * What a reader of {@code asset} should know about its structure (damage readers work around,
     * stores of other standards this container locates but does not interpret); empty by default.
     * Verify reports these beside the findings.
     *
     * @throws FormatException when the file cannot be read at all
     */
    default java.util.List<Notice> notices(Asset asset) throws FormatException {
        return java.util.List.of();
    }

    /**
     * A copy of {@code asset} this container can rewrite, for a file readers open only by repairing
     * it (a PDF whose cross-reference must be rebuilt), with notices saying what was done; the asset
     * itself when it is sound (the default). Labelling marks the copy.
     *
     * @throws FormatException when no reader could make sense of the file, saying why
     */
    default Repaired repaired(Asset asset) throws FormatException {
        return Repaired.sound(asset);
    }

    /** The text a reader sees, for formats made of text (Markdown, plain text, DOCX). */
    default Optional<TextBody> textBody() {
        return Optional.empty();
    }

    /** Pixel access, for raster image formats the JDK decodes (PNG, JPEG; not WebP). */
    default Optional<Raster> raster() {
        return Optional.empty();
    }

    /** Where a C2PA manifest store lives, for formats that can carry one (PNG, JPEG, WebP). */
    default Optional<ManifestSlot> manifestSlot() {
        return Optional.empty();
    }
}
