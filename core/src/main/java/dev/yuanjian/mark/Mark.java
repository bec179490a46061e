package dev.yuanjian.mark;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;

/**
 * One kind of mark on an asset: it applies itself, says what it leaves out of the digest, fills in
 * what depends on the log entry, and detects itself later. The GB 45438 metadata label and the
 * visible label are the first two; C2PA manifests and watermarks plug in the same way. A mark never
 * parses a file format: it asks the asset's {@link Container}.
 *
 * <p>The pipeline calls, for each labelling: {@link #apply} on every mark in {@link #stage()}
 * order; then {@link Digests#of} (every mark's {@link #digestView}); the log append; then
 * {@link #seal} on every mark in order. Its guarantee, which each mark must keep: after
 * {@code seal}, {@link Digests#of} of the final asset equals the digest logged.
 */
public interface Mark {

    /** Stable name, e.g. "gb45438-label", "visible-label"; used in options and in reports. */
    String name();

    /** Where in the order this mark is applied. */
    Stage stage();

    /**
     * True when a request may leave this mark out (the visible label may be switched off); the
     * GB 45438 metadata label may not.
     */
    default boolean optional() {
        return false;
    }

    /** True when this mark can be put on and found in files of {@code container}'s format. */
    boolean appliesTo(Container container);

    /**
     * The asset with this mark applied, before the log entry exists. Values that depend on the
     * entry (a signature over the digest) are written as placeholders here and filled in by
     * {@link #seal}.
     *
     * @throws FormatException when the asset cannot carry the mark (corrupt, or a conflicting mark)
     */
    Asset apply(Asset asset, Container container, Issuance issuance) throws FormatException;

    /**
     * Why this mark is not on {@code asset} although {@link #apply} ran and the format takes it (an
     * image too small or in a colour model a watermark cannot use), or empty when it is there. Asked
     * only when {@code apply} returned the asset unchanged, to tell "already present" from "could not
     * be put on"; the pipeline reports the reason as a notice. The default: it is there.
     */
    default java.util.Optional<Message> unfit(Asset asset, Container container) throws FormatException {
        return java.util.Optional.empty();
    }

    /**
     * The asset as {@code binding}'s digest sees it: what this mark leaves out of that digest is
     * removed or set to a canonical value. Byte ranges of other marks are not this mark's business.
     * The default leaves the asset as it is: the mark's bytes are covered. Return the same
     * instance when there is nothing to leave out (the verifier then reuses the plain hash).
     */
    default Asset digestView(Asset asset, Container container, Binding binding) throws FormatException {
        return asset;
    }

    /** The asset with the values that depend on the log entry filled in; must not change its digest. */
    default Asset seal(Asset asset, Container container, Sealing sealing) throws FormatException {
        return asset;
    }

    /**
     * The asset when a request leaves this (optional) mark out. The default leaves it as it is; a
     * mark whose earlier instance in the file the other marks' changes would break (a C2PA
     * manifest's data hash) removes that instance rather than leave it claiming what no longer holds.
     * Must not change the digest (what it removes is outside it).
     */
    default Asset omitted(Asset asset, Container container) throws FormatException {
        return asset;
    }

    /**
     * The asset after a propagation (GB 45438 propagator fields added, sealed and logged as
     * {@code sealing}): a mark that binds the finished bytes binds them again, so what it bound
     * before still validates; other marks leave the asset as it is. Must not change any digest.
     */
    default Asset afterPropagation(Asset asset, Container container, Sealing sealing) throws FormatException {
        return asset;
    }

    /**
     * What this mark finds in {@code asset}: present or not, valid or not, and what it claims.
     *
     * @param digests the asset's digests, computed once by the verifier over every mark's view
     */
    Finding detect(Asset asset, Container container, AssetDigests digests) throws FormatException;
}
