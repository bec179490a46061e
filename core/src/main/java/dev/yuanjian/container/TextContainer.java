package dev.yuanjian.container;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Plain UTF-8 text ({@code .txt} {@code .text}, and extensionless files that are UTF-8 text).
 * Plain text has no place for metadata, so the value lives in the asset's sidecar
 * ({@link Asset#sidecar()}, conventionally {@code NAME.aigc.json}) and the text bytes are never
 * touched by {@link #withMetadata}.
 *
 * <p>A text file carries <em>one</em> metadata value: the sidecar's content. Every
 * {@link MetadataKey} reads and writes that same value; a caller that needs several keys on plain
 * text must combine them into one value (the sidecar holds JSON by convention).
 *
 * <p>The text body is the whole file after an optional BOM; a paragraph is one line.
 */
public final class TextContainer implements Container, TextBody {
    private static final FormatSignature SIGNATURE =
            FormatSignature.text("text", "text/plain", List.of(".txt", ".text"), true);

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** The text must be UTF-8; the sidecar, when present, too. */
    @Override
    public void check(Asset asset) throws FormatException {
        Bytes.requireUtf8(asset.bytes(), asset.name());
        if (asset.sidecar().isPresent()) {
            Bytes.requireUtf8(asset.sidecar().get(), asset.sidecarName());
        }
    }

    /**
     * The sidecar's text without a BOM and without the final line break {@link #withMetadata}
     * adds; empty without a sidecar. {@code key} is not consulted (see the class comment).
     *
     * @throws FormatException when the sidecar is not UTF-8 (what the value means, and whether it
     *     holds a key twice, is for the mark that reads it)
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        if (asset.sidecar().isEmpty()) {
            return Optional.empty();
        }
        String where = asset.sidecarName();
        byte[] side = asset.sidecar().get();
        Bytes.requireUtf8(side, where);
        int from = Bytes.utf8BomLength(side);
        String text = new String(side, from, side.length - from, StandardCharsets.UTF_8);
        return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    /** The asset with the sidecar set to {@code value} and a line break; the text bytes untouched. */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        // The text bytes are not touched, so they are not re-read: check() validates them once.
        return asset.withSidecar((value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<TextBody> textBody() {
        return Optional.of(this);
    }

    @Override
    public String visibleText(Asset asset, int maxChars) throws FormatException {
        // Reads only the sample; the whole file's UTF-8 is checked once, by check().
        byte[] b = asset.bytes();
        String text = Bytes.utf8Sample(b, bomLength(b), maxChars);
        return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    @Override
    public boolean containsAny(Asset asset, List<String> texts) {
        return Bytes.containsAny(asset.bytes(), 0, texts.toArray(String[]::new));
    }

    /**
     * The paragraph as the first line (after the BOM) or the last, in the file's line ending; a
     * file without a final line break keeps having none.
     */
    @Override
    public Asset insertParagraph(Asset asset, String text, Edge edge) throws FormatException {
        // Valid UTF-8 stays valid; whether the file is UTF-8 is check()'s question, asked once.
        byte[] b = asset.bytes();
        int body = bomLength(b);
        byte[] eol = Bytes.lineEnding(b, body);
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        byte[] out;
        if (body == b.length) {
            out = Bytes.concat(b, line, eol);
        } else if (edge == Edge.START) {
            out = Bytes.concat(Arrays.copyOf(b, body), line, eol, Arrays.copyOfRange(b, body, b.length));
        } else if (b[b.length - 1] == '\n') {
            out = Bytes.concat(b, line, eol);
        } else {
            out = Bytes.concat(b, eol, line);
        }
        return asset.withBytes(out);
    }

    private static int bomLength(byte[] b) {
        return Bytes.utf8BomLength(b);
    }

    /**
     * Refuses a JSON object that names a key twice: readers disagree on which one counts. A sidecar
     * that is not JSON is returned as it is; what its value means is not this container's business.
     */
}
