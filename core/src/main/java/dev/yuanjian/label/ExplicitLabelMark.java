package dev.yuanjian.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.mark.AssetDigests;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Issuance;
import dev.yuanjian.mark.PixelMark;
import dev.yuanjian.mark.Message;
import dev.yuanjian.mark.Stage;
import dev.yuanjian.render.Painter;
import dev.yuanjian.render.RasterPainter;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The explicit (visible) label of GB 45438-2025 section 5 as a mark: the configured wording, in
 * the language of the content, shown at its start or end by the {@link Painter} for the format (a
 * paragraph of text, a box in an image's corner, a line on a PDF page). Never added twice. Its
 * bytes are part of every digest: removing the visible label alters the file.
 */
public final class ExplicitLabelMark implements PixelMark {
    public static final String NAME = "gb45438-explicit";

    private final ExplicitLabel explicit;
    private final List<Painter> painters;

    /** @param painters asked in order; the first that paints a format draws on it */
    public ExplicitLabelMark(ExplicitLabel explicit, List<Painter> painters) {
        this.explicit = explicit;
        this.painters = List.copyOf(painters);
    }

    public ExplicitLabel wording() {
        return explicit;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Stage stage() {
        return Stage.VISIBLE;
    }

    @Override
    public boolean optional() {
        return true;
    }

    @Override
    public boolean appliesTo(Container container) {
        return painter(container).isPresent();
    }

    @Override
    public Asset apply(Asset asset, Container container, Issuance issuance) throws FormatException {
        // The painter leaves an asset that already shows a candidate as it is: never a second label.
        Painter painter = painter(container).orElseThrow();
        TextBody.Edge edge = explicit.position() == ExplicitLabel.Position.START ? TextBody.Edge.START : TextBody.Edge.END;
        return painter.paint(asset, container, candidates(painter, asset, container), edge);
    }

    /** Preferred wording first: text takes the wording of its own language, an image Chinese then English. */
    private List<String> candidates(Painter painter, Asset asset, Container container) throws FormatException {
        String sample = painter.textSample(asset, container);
        // An image has no text, so Chinese comes first and English is the painter's fallback where
        // no installed font shows Chinese.
        String preferred = sample.isEmpty() ? explicit.chinese() : explicit.wordingFor(sample);
        String other = preferred.equals(explicit.chinese()) ? explicit.english() : explicit.chinese();
        return List.of(preferred, other);
    }

    /** Raster images: the label is drawn on pixels the pipeline decodes once for every pixel mark. */
    @Override
    public boolean changesPixels(Container container) {
        return painter(container).orElse(null) instanceof RasterPainter;
    }

    @Override
    public Optional<Painted> paint(Asset asset, Container container, BufferedImage pixels, int orientation,
                                   Issuance issuance) throws FormatException {
        RasterPainter painter = (RasterPainter) painter(container).orElseThrow();
        List<String> candidates = candidates(painter, asset, container);
        if (!painter.draws(asset, container, candidates)) {
            return Optional.empty();
        }
        RasterPainter.Drawing drawing = painter.drawOn(pixels, orientation, candidates);
        return Optional.of(new Painted(drawing.pixels(),
                (encoded, c) -> c.withMetadata(encoded, RasterPainter.VISIBLE_LABEL, drawing.text())));
    }

    /** Grey and Y Cb Cr JPEGs: the label is drawn on the MCUs under its box ({@link RasterPainter#drawOn(JpegCoefficients, int, List)}). */
    @Override
    public boolean paintsCoefficients(Container container, JpegCoefficients coefficients) {
        return changesPixels(container) && coefficients.colour() != JpegCoefficients.Colour.OTHER;
    }

    @Override
    public Optional<AfterEncode> paint(Asset asset, Container container, JpegCoefficients coefficients, int orientation,
                                       Issuance issuance) throws FormatException {
        RasterPainter painter = (RasterPainter) painter(container).orElseThrow();
        List<String> candidates = candidates(painter, asset, container);
        if (!painter.draws(asset, container, candidates)) {
            return Optional.empty();
        }
        String text = painter.drawOn(coefficients, orientation, candidates);
        return Optional.of((encoded, c) -> c.withMetadata(encoded, RasterPainter.VISIBLE_LABEL, text));
    }

    /** An animated image (APNG) is not drawn on: its frames after the first would be lost. */
    @Override
    public Optional<Message> unfit(Asset asset, Container container) throws FormatException {
        if (container.raster().isPresent() && container.raster().get().frames(asset) > 1) {
            return Optional.of(new Message("no visible label: the image is an animation, and drawing would keep only "
                    + "its first frame; the metadata label carries it",
                    "未加显式标识：该图片是动画，绘制会只保留第一帧；由元数据标识承载"));
        }
        return Optional.empty();
    }

    @Override
    public Finding detect(Asset asset, Container container, AssetDigests digests) throws FormatException {
        boolean shown = painter(container).orElseThrow()
                .shows(asset, container, List.of(explicit.chinese(), explicit.english()));
        return new VisibleFinding(shown);
    }

    private Optional<Painter> painter(Container container) {
        return painters.stream().filter(p -> p.paints(container)).findFirst();
    }

    /** Whether the visible label is shown. JSON view: {@code {"shown": true}}. */
    public record VisibleFinding(boolean shown) implements Finding {
        @Override
        public String mark() {
            return NAME;
        }

        @Override
        public boolean present() {
            return shown;
        }

        @Override
        public Message summary() {
            return shown
                    ? new Message("visible label present", "显式标识：有")
                    : new Message("visible label not found", "显式标识：未发现");
        }

        @Override
        public List<Fact> facts() {
            return List.of();
        }

        @Override
        public List<Message> notes() {
            return List.of();
        }

        @Override
        public List<Claim> claims() {
            return List.of();
        }

        @Override
        public Object view() {
            return Map.of("shown", shown);
        }
    }
}
