package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.label.ExplicitLabel;

/**
 * The visible label on generated text (GB 45438-2025 section 5) as the first response filter: the
 * wording at the start or the end of each choice's text, separated by a blank line ({@code "\n\n"}),
 * the same for whole answers and streams and for every choice. The wording's language is the
 * prompt's, known before any output exists, so both paths choose the same: the last user message's
 * text, or, when that has no letters, every message's text ({@link ExplicitLabel#wordingFor}).
 *
 * <p>Never applied where a label would break the answer: a choice without text (a tool-call turn:
 * its content stays null, its arguments untouched), and JSON mode or structured output
 * ({@code response_format} {@code json_object} or {@code json_schema}), whose content must stay
 * valid JSON. Every choice's {@code aigc} object names the wording and whether it is in the content
 * ({@code "explicitLabel": {"text": ..., "inContent": ...}}), so a client can show it either way,
 * beside the {@code X-AIGC-Label} header. Nothing is held back.
 */
public final class ExplicitLabelFilter implements ResponseFilter {
    private final ExplicitLabel explicit;
    private final boolean onByDefault;

    /** @param onByDefault whether requests that do not say get the visible label */
    public ExplicitLabelFilter(ExplicitLabel explicit, boolean onByDefault) {
        this.explicit = explicit;
        this.onByDefault = onByDefault;
    }

    @Override
    public String name() {
        return "gb45438-explicit";
    }

    @Override
    public AnswerFilter open(ChatRequest request) {
        boolean on = request.explicit().orElse(onByDefault) && !structured(request);
        boolean start = explicit.position() == ExplicitLabel.Position.START;
        String wording = explicit.wordingFor(promptSample(request));
        return new AnswerFilter() {
            private boolean sawText;

            @Override
            public String text(String piece) {
                if (!on || piece.isEmpty()) {
                    return piece;
                }
                boolean first = !sawText;
                sawText = true;
                return first && start ? wording + "\n\n" + piece : piece;
            }

            @Override
            public String end() {
                return on && sawText && !start ? "\n\n" + wording : "";
            }

            @Override
            public void annotate(ObjectNode aigc) {
                aigc.putObject("explicitLabel").put("text", wording).put("inContent", on && sawText);
            }
        };
    }

    /** The prompt's text the wording's language is told by: the last user message, else every message. */
    static String promptSample(ChatRequest request) {
        if (request.lastUser().codePoints().anyMatch(Character::isLetter)) {
            return request.lastUser();
        }
        StringBuilder all = new StringBuilder();
        for (JsonNode message : request.body().path("messages")) {
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                all.append(content.asText()).append('\n');
            }
            for (JsonNode part : content) {
                if (part.path("text").isTextual()) {
                    all.append(part.path("text").asText()).append('\n');
                }
            }
        }
        return all.toString();
    }

    private static boolean structured(ChatRequest request) {
        JsonNode type = request.body().path("response_format").path("type");
        return type.isTextual() && (type.asText().equals("json_object") || type.asText().equals("json_schema"));
    }
}
