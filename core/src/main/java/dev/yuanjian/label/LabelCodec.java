package dev.yuanjian.label;

import java.util.Optional;

/**
 * Where and how one file format carries the GB 45438 labels. One implementation per format; the
 * rest of the product never parses a format itself.
 *
 * <p>Invariants every codec keeps:
 * <ul>
 *   <li>{@link #write} replaces an existing implicit label, never adds a second, and preserves
 *       everything else in the file.</li>
 *   <li>{@code protectedDigest(write(a, l))} is the same for every value of
 *       {@code l.reservedCode1()} of the same length: the digest covers the whole file except that
 *       value, so a signature stored there can cover the label's other fields and the content.</li>
 *   <li>Corrupt input, an {@code AIGC} value that is not valid JSON, or two labels raise
 *       {@link LabelFormatException} with a message saying what and where.</li>
 * </ul>
 */
public interface LabelCodec {

    /** Short stable name: "markdown", "docx", "pdf", "text". */
    String format();

    /** The IANA media type of files this codec handles. */
    String mediaType();

    /** True when this codec handles a file with this name and leading bytes. */
    boolean accepts(String fileName, byte[] head);

    /** The implicit label, if the file carries one. */
    Optional<AigcLabel> read(Asset asset) throws LabelFormatException;

    /** The file with {@code label} as its only implicit label. */
    Asset write(Asset asset, AigcLabel label) throws LabelFormatException;

    /**
     * The file with the explicit label added at the configured position, in the wording that fits
     * the text's language; unchanged when either wording is already present.
     */
    Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException;

    /** True when the visible text already carries either wording of {@code explicit}. */
    boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException;

    /**
     * SHA-256 over everything the label protects: the whole file except the bytes of the
     * {@code ReservedCode1} value (see the class comment). For an unlabelled file of a byte-based
     * format this is the plain SHA-256 of the file.
     */
    byte[] protectedDigest(Asset asset) throws LabelFormatException;
}
