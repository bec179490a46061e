package dev.yuanjian.mark;

import java.util.Objects;

/**
 * What the marks of one labelling share, before the log entry exists.
 *
 * @param contentId the new content id ({@code ProduceID}), 26 characters (ULID layout)
 * @param producer  this service's producer code ({@code ContentProducer}), 27 characters
 * @param model     the model that produced the content, or "unspecified"
 */
public record Issuance(String contentId, String producer, String model) {
    public Issuance {
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(model, "model");
    }
}
