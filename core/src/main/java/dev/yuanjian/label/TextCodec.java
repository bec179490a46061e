package dev.yuanjian.label;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Plain UTF-8 text. A .txt has no place for metadata and GB 45438 defines none, so the implicit
 * label lives in the sidecar {@code NAME.aigc.json} ({@link Asset#sidecar()}), holding the wrapped
 * JSON {@code {"AIGC":{...}}}; the bare seven-field object is read too. The text bytes are never
 * touched by {@link #write}. The explicit label is the first or last line.
 *
 * <p>Protected digest: the plain SHA-256 of the text bytes. The sidecar is not part of it, so
 * {@code ReservedCode1} (in the sidecar) can sign it; the label's other fields are bound by the
 * signature itself, not by this digest.
 */
public final class TextCodec implements LabelCodec {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Override
    public String format() {
        return "text";
    }

    @Override
    public String mediaType() {
        return "text/plain";
    }

    /** {@code .txt} or {@code .text}, or a name without extension whose bytes are UTF-8 text without NUL (checked on {@code head}). */
    @Override
    public boolean accepts(String fileName, byte[] head) {
        if (Codecs.looksBinary(head)) {
            return false;
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".txt") || lower.endsWith(".text")) {
            return true;
        }
        // A name with some other extension (.bmp, .html, .json...) promises a format we do not
        // label; treating it as plain text would hide that. Only extensionless names are sniffed.
        String base = lower.substring(Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('\\')) + 1);
        if (base.lastIndexOf('.') > 0) {
            return false;
        }
        for (byte x : head) {
            if (x == 0) {
                return false;
            }
        }
        int bad = Bytes.firstInvalidUtf8(head);
        // A head cut mid-character is still text: only a fault before the last 3 bytes counts.
        return bad < 0 || bad >= head.length - 3;
    }

    @Override
    public Optional<AigcLabel> read(Asset asset) throws LabelFormatException {
        if (asset.sidecar().isEmpty()) {
            return Optional.empty();
        }
        String where = asset.sidecarName();
        byte[] side = asset.sidecar().get();
        Bytes.requireUtf8(side, where);
        String json = new String(side, StandardCharsets.UTF_8);
        if (json.startsWith("\ufeff")) {
            json = json.substring(1);
        }
        requireNoDuplicateKeys(json, where);
        return Optional.of(AigcLabel.parse(json, where));
    }

    @Override
    public Asset write(Asset asset, AigcLabel label) throws LabelFormatException {
        Bytes.requireUtf8(asset.bytes(), asset.name());
        return asset.withSidecar((label.toWrappedJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Asset addExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        Bytes.requireUtf8(b, asset.name());
        if (hasExplicit(asset, explicit)) {
            return asset;
        }
        int body = Bytes.startsWith(b, 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}) ? 3 : 0;
        byte[] eol = Bytes.lineEnding(b, body);
        byte[] wording = explicit.wordingFor(Bytes.utf8Sample(b, body, 4096)).getBytes(StandardCharsets.UTF_8);
        byte[] out;
        if (body == b.length) {
            out = Bytes.concat(b, wording, eol);
        } else if (explicit.position() == ExplicitLabel.Position.START) {
            out = Bytes.concat(java.util.Arrays.copyOf(b, body), wording, eol,
                    java.util.Arrays.copyOfRange(b, body, b.length));
        } else if (b[b.length - 1] == '\n') {
            out = Bytes.concat(b, wording, eol);
        } else {
            // The file had no final line break; it keeps having none.
            out = Bytes.concat(b, eol, wording);
        }
        return asset.withBytes(out);
    }

    @Override
    public boolean hasExplicit(Asset asset, ExplicitLabel explicit) throws LabelFormatException {
        byte[] b = asset.bytes();
        return Bytes.containsAny(b, 0, explicit.chinese(), explicit.english());
    }

    @Override
    public byte[] protectedDigest(Asset asset) {
        return Bytes.sha256(asset.bytes());
    }

    private static void requireNoDuplicateKeys(String json, String where) throws LabelFormatException {
        try (JsonParser p = STRICT.createParser(json)) {
            while (p.nextToken() != null) {
                // reading is the check
            }
        } catch (IOException e) {
            String msg = e.getMessage().lines().findFirst().orElse("");
            if (msg.startsWith("Duplicate field")) {
                throw new LabelFormatException(where + " holds two labels (" + msg + "); keep one", e);
            }
            throw new LabelFormatException("the AIGC label in " + where + " is not valid JSON (" + msg + ")", e);
        }
    }
}
