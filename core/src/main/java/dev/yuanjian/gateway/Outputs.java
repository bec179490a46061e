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
 * images are recorded by their exact bytes until their codecs can mark them.
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

    /** Logs one image by its exact bytes and returns its sealed label. */
    Labeller.Result image(String name, byte[] bytes, String mediaType, String model, String prompt) {
        return labeller.record(name, bytes, mediaType, model, Optional.of(prompt));
    }

    /** Tokens when the upstream reports none: four characters a token, the usual rule of thumb. */
    static long estimateTokens(long chars) {
        return Math.max(1, (chars + 3) / 4);
    }

}
