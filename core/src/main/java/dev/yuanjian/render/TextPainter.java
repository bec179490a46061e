package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.TextBody;
import java.util.List;

/**
 * Shows a line of text as a paragraph of its own in formats made of text: any container with a
 * {@link Container#textBody()} (Markdown, plain text, DOCX). Where the paragraph goes and how it
 * is spelt in the file is the container's business; this painter only decides whether to add it.
 */
public final class TextPainter implements Painter {
    private static final int SAMPLE_CHARS = 4096;

    @Override
    public boolean paints(Container container) {
        return container.textBody().isPresent();
    }

    /** The first 4,096 characters of the visible text. */
    @Override
    public String textSample(Asset asset, Container container) throws FormatException {
        return body(container).visibleText(asset, SAMPLE_CHARS);
    }

    /** The asset with {@code candidates.get(0)} as a paragraph at {@code edge}, unless it shows a candidate. */
    @Override
    public Asset paint(Asset asset, Container container, List<String> candidates, TextBody.Edge edge)
            throws FormatException {
        if (shows(asset, container, candidates)) {
            return asset;
        }
        return body(container).insertParagraph(asset, candidates.get(0), edge);
    }

    /** True when any candidate occurs anywhere in the visible text. */
    @Override
    public boolean shows(Asset asset, Container container, List<String> candidates) throws FormatException {
        return body(container).containsAny(asset, candidates);
    }

    private static TextBody body(Container container) {
        return container.textBody().orElseThrow(() -> new IllegalArgumentException(
                "TextPainter paints formats made of text only, not " + container.format() + "; ask paints() first"));
    }
}
