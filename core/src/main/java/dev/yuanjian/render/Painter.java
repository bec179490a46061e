package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.TextBody;
import java.util.List;

/**
 * Puts one line of visible text on an asset of the formats it knows, and finds it again. Text
 * formats get a paragraph ({@link TextPainter}), raster images a box drawn in a corner
 * ({@link RasterPainter}), PDF a line drawn on a page ({@link PdfPainter}).
 */
public interface Painter {

    /** True when this painter can draw on files of {@code container}'s format. */
    boolean paints(Container container);

    /**
     * A sample of the asset's own text (for choosing the wording's language), or "" when the
     * format shows no text (images).
     */
    String textSample(Asset asset, Container container) throws FormatException;

    /**
     * The asset with {@code candidates.get(0)} shown at {@code edge}; when a font cannot show it
     * the painter may use a later candidate. Unchanged when any candidate is already shown.
     */
    Asset paint(Asset asset, Container container, List<String> candidates, TextBody.Edge edge) throws FormatException;

    /** True when the asset shows one of {@code candidates} as this painter draws it. */
    boolean shows(Asset asset, Container container, List<String> candidates) throws FormatException;
}
