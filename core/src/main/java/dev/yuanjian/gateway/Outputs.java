package dev.yuanjian.gateway;

import dev.yuanjian.label.Asset;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.label.LabelFormatException;
import dev.yuanjian.pipeline.Labeller;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Every output through the one pipeline: text is labelled as {@code completion.txt} (the text codec
 * keeps the label beside the text, so the log records the SHA-256 of exactly the returned text);
 * PNG and JPEG images are marked by their codecs (XMP label, and the visible corner label when
 * asked for) and the marked bytes are what the client gets; other images (WebP, unknown, or
 * bytes a codec refuses as corrupt) are recorded by their exact bytes, label only in the envelope.
 */
final class Outputs {
    private final Labeller labeller;
    private final ExplicitLabel explicit;

    Outputs(Labeller labeller, ExplicitLabel explicit) {
        this.labeller = labeller;
        this.explicit = explicit;
    }

    ExplicitLabel explicit() {
        return explicit;
    }

    /** Labels and logs one text; with {@code visible} the result's text carries the explicit label. */
    Labeller.Result text(String text, boolean visible, String model, String prompt) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            return labeller.label(new Labeller.Request(Asset.of("completion.txt", bytes),
                    visible ? Optional.of(explicit) : Optional.empty(), model, Optional.of(prompt)));
        } catch (LabelFormatException e) {
            // Text that starts like a PDF or ZIP file ("%PDF-", "PK\3\4") is refused by format
            // detection. It is still an output: log its exact bytes and return the label beside it.
            return labeller.record("completion.txt", bytes, "text/plain", model, Optional.of(prompt));
        }
    }

    /**
     * Labels and logs one image; the result's asset holds the bytes to return. With {@code visible}
     * the image also carries the explicit label drawn in its corner.
     */
    Labeller.Result image(String name, byte[] bytes, String mediaType, boolean visible, String model, String prompt) {
        try {
            return labeller.label(new Labeller.Request(Asset.of(name, bytes),
                    visible ? Optional.of(explicit) : Optional.empty(), model, Optional.of(prompt)));
        } catch (LabelFormatException e) {
            // No codec for the format (WebP), or bytes the codec refuses as corrupt: still an output,
            // so log its exact bytes and return the label beside it.
            return labeller.record(name, bytes, mediaType, model, Optional.of(prompt));
        }
    }

    /** Tokens when the upstream reports none: four characters a token, the usual rule of thumb. */
    static long estimateTokens(long chars) {
        return Math.max(1, (chars + 3) / 4);
    }

}
