package dev.yuanjian.container;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Markdown (UTF-8, {@code .md} {@code .markdown}). Metadata is a top-level key of the front matter,
 * named {@link MetadataKey#name()}; the text body is everything after the front matter.
 *
 * <p>Front matter is what static-site tools read as such, and only when it parses: a YAML mapping
 * between {@code ---} lines, a TOML table between {@code +++} lines, or a leading JSON object
 * ({@code FrontMatter}). A leading block that is not one of these (a thematic break, a setext
 * heading under {@code ---}, a YAML list or scalar, prose) stays Markdown content, and new YAML
 * front matter goes above it. The container edits front matter as text and never re-serialises
 * it, so every byte outside the one entry is kept, comments and key order included; the entry is
 * written in the block's syntax on one line in the file's own line ending: {@code KEY: '<value>'}
 * (YAML single-quoted), {@code KEY = "<value>"} (TOML basic string) or {@code "KEY": "<value>"}
 * (JSON), and each syntax's parser must read back exactly the value written.
 */
public final class MarkdownContainer implements Container, TextBody {
    private static final FormatSignature SIGNATURE =
            FormatSignature.text("markdown", "text/markdown", List.of(".md", ".markdown"), false);

    @Override
    public FormatSignature signature() {
        return SIGNATURE;
    }

    /** UTF-8 throughout, and front matter (when there is one) within what its parser reads (nesting depth). */
    @Override
    public void check(Asset asset) throws FormatException {
        Bytes.requireUtf8(asset.bytes(), asset.name());
        FrontMatter.find(asset.bytes(), asset.name(), null);
    }

    /**
     * The front matter value of {@code key}: decoded when quoted or a block scalar, else its raw text.
     *
     * @throws FormatException when the key appears twice, has no value, sits where it cannot be
     *     edited, or its quoted value is broken (unclosed quote, bad escape, text after the quote)
     */
    @Override
    public Optional<String> metadata(Asset asset, MetadataKey key) throws FormatException {
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.find(b, asset.name(), key.name());
        return fm == null ? Optional.empty() : fm.read(b, asset.name(), key.name());
    }

    /**
     * The file with the key's only entry holding {@code value}, in the front matter's syntax; a file
     * without front matter gets a YAML block {@code ---} / {@code KEY: '<value>'} / {@code ---} first
     * (after a BOM), everything after it unchanged.
     *
     * @throws IllegalArgumentException when {@code value} holds a line break or another control
     *     character other than tab: a one-line quoted string cannot carry it
     * @throws FormatException when the key is there twice, or the front matter is laid out so that
     *     an entry written in it would not read back as written (the message says how to rewrite it)
     */
    @Override
    public Asset withMetadata(Asset asset, MetadataKey key, String value) throws FormatException {
        requireOneLine(value);
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.find(b, asset.name(), key.name());
        if (fm != null) {
            return asset.withBytes(fm.write(b, asset.name(), key.name(), value));
        }
        byte[] line = (key.name() + ": '" + value.replace("'", "''") + "'").getBytes(StandardCharsets.UTF_8);
        int start = bomLength(b);
        byte[] eol = Bytes.lineEnding(b, start);
        byte[] fence = {'-', '-', '-'};
        return asset.withBytes(Bytes.splice(b, start, start, Bytes.concat(fence, eol, line, eol, fence, eol)));
    }

    @Override
    public Optional<TextBody> textBody() {
        return Optional.of(this);
    }

    /** The body after the front matter (and BOM), decoded; the file must be UTF-8. */
    @Override
    public String visibleText(Asset asset, int maxChars) throws FormatException {
        // Reads only the sample; the whole file's UTF-8 is checked once, by check().
        byte[] b = asset.bytes();
        String body = Bytes.utf8Sample(b, bodyStart(b, asset.name()), maxChars);
        return body.length() > maxChars ? body.substring(0, maxChars) : body;
    }

    @Override
    public boolean containsAny(Asset asset, List<String> texts) throws FormatException {
        byte[] b = asset.bytes();
        return Bytes.containsAny(b, bodyStart(b, asset.name()), texts.toArray(String[]::new));
    }

    /**
     * The paragraph goes right after the front matter (START, followed by a blank line) or at the
     * end (END, after a blank line, keeping whether the file ended in a line break). An empty body
     * becomes the paragraph and a line break.
     */
    @Override
    public Asset insertParagraph(Asset asset, String text, Edge edge) throws FormatException {
        // Valid UTF-8 stays valid; whether the file is UTF-8 is check()'s question, asked once.
        byte[] b = asset.bytes();
        FrontMatter fm = FrontMatter.find(b, asset.name(), null);
        int body = fm == null ? bomLength(b) : fm.bodyStart();
        byte[] eol = fm == null ? Bytes.lineEnding(b, body) : fm.eol();
        byte[] paragraph = text.getBytes(StandardCharsets.UTF_8);
        if (body == b.length) {
            // A file that ends on its front matter's closing fence, with no line break after it:
            // the paragraph must start a line of its own, or it would glue onto the fence.
            byte[] lead = body > 0 && b[body - 1] != '\n' ? eol : new byte[0];
            return asset.withBytes(Bytes.splice(b, body, body, Bytes.concat(lead, paragraph, eol)));
        }
        if (edge == Edge.START) {
            // A blank line after the paragraph keeps it a paragraph of its own.
            return asset.withBytes(Bytes.splice(b, body, body, Bytes.concat(paragraph, eol, eol)));
        }
        byte[] tail;
        if (endsWithBlankLine(b, body)) {
            tail = Bytes.concat(paragraph, eol);
        } else if (b[b.length - 1] == '\n') {
            tail = Bytes.concat(eol, paragraph, eol);
        } else {
            tail = Bytes.concat(eol, eol, paragraph);
        }
        return asset.withBytes(Bytes.splice(b, b.length, b.length, tail));
    }

    private static int bodyStart(byte[] b, String name) throws FormatException {
        FrontMatter fm = FrontMatter.find(b, name, null);
        return fm == null ? bomLength(b) : fm.bodyStart();
    }

    private static void requireOneLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException("a Markdown front matter value is written on one line and cannot "
                        + "hold control character " + String.format("U+%04X", (int) c) + " (at index " + i
                        + "); escape it in the value (e.g. as JSON \\n) before storing it");
            }
        }
    }

    private static boolean endsWithBlankLine(byte[] b, int from) {
        int n = b.length;
        if (n - from >= 2 && b[n - 1] == '\n' && b[n - 2] == '\n') {
            return true;
        }
        return n - from >= 4 && b[n - 1] == '\n' && b[n - 2] == '\r' && b[n - 3] == '\n' && b[n - 4] == '\r';
    }

    private static int bomLength(byte[] b) {
        return Bytes.utf8BomLength(b);
    }
}
