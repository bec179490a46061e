package dev.yuanjian.gateway;

import dev.yuanjian.pipeline.Pipeline;
import java.util.Optional;

/** What a pass-through call ({@link PassThrough}) did: the upstream's answer to relay, or an error. */
public sealed interface Relayed {

    /**
     * The upstream's answer, to be sent as it came.
     *
     * @param contentType the upstream's {@code Content-Type} (a default when it sent none)
     * @param tokens      charged to the caller's key: the upstream's {@code usage}, else an estimate
     *                    (four characters a token of the input, or of a transcription's text)
     * @param output      for generated content (speech), what the log recorded of exactly {@code body}
     */
    record Answered(byte[] body, String contentType, String backend, long tokens, Optional<Pipeline.Result> output)
            implements Relayed {
    }

    /** Nothing was sent yet; answer with this error. */
    record Failed(GatewayError error) implements Relayed {
    }
}
