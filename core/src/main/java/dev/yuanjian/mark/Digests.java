package dev.yuanjian.mark;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The one place a digest of an asset is computed: each mark declares what it leaves out
 * ({@link Mark#digestView}), and this function applies every declaration in order and hashes the
 * bytes of the result with SHA-256. Sidecar files are never hashed: a plain text's digest is the
 * SHA-256 of exactly its bytes, so a copy of the text without its sidecar is still found in the log.
 *
 * <p>Leaving a value out by writing a canonical value (rather than cutting a byte range) works for
 * every container, because a container's rewrite of one metadata value does not depend on the
 * value it replaces ({@link Container} invariants) and recomputes whatever frames the value: PNG
 * chunk lengths and CRCs, JPEG segment lengths, ZIP entries, PDF cross-reference offsets.
 */
public final class Digests {
    private Digests() {
    }

    /**
     * SHA-256 of {@code asset} as {@code binding} sees it, 32 bytes.
     *
     * @param marks the marks that may be in the asset, in stage order (as {@link Marks#all()} gives them)
     */
    public static byte[] of(Asset asset, Container container, List<Mark> marks, Binding binding) throws FormatException {
        return sha256(view(asset, container, marks, binding).bytes());
    }

    /**
     * The asset as {@code binding}'s digest sees it: every mark's view applied in stage order. The
     * same instance comes back when no mark leaves anything out, so a caller holding the plain
     * SHA-256 of the asset need not hash it again.
     */
    public static Asset view(Asset asset, Container container, List<Mark> marks, Binding binding) throws FormatException {
        Asset view = asset;
        for (Mark mark : marks) {
            if (mark.appliesTo(container)) {
                view = mark.digestView(view, container, binding);
            }
        }
        return view;
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
