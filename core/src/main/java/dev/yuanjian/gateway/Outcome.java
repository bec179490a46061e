package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.pipeline.Pipeline;
import java.util.List;

/** What the gateway did with one request. */
public sealed interface Outcome {

    /** Tokens the request used, as the upstream reported them or, when it did not, estimated (4 characters a token). */
    long tokens();

    /**
     * A complete JSON answer. {@code labelHeader} is the first output's label as bare JSON (the
     * {@code X-AIGC-Label} header); {@code outputs} what the pipeline made of each output (the
     * labelled text with its sidecar, for {@code yuanjian generate -o}).
     */
    record Completed(ObjectNode body, String labelHeader, List<Pipeline.Result> outputs, String backend, long tokens)
            implements Outcome {
        public List<String> contentIds() {
            return outputs.stream().map(Pipeline.Result::contentId).toList();
        }
    }

    /**
     * A stream was relayed. {@code finished} is false when it ended early (the upstream broke, or the
     * client left); whatever text was produced has still been labelled and logged.
     */
    record Streamed(List<String> contentIds, String backend, boolean finished, String problem, long tokens)
            implements Outcome {
    }

    /** Nothing was sent yet; answer with this error. */
    record Failed(GatewayError error) implements Outcome {
        public long tokens() {
            return 0;
        }
    }
}
