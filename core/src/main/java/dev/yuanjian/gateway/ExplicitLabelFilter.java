package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.label.ExplicitLabel;

/**
 * The visible label on generated text (GB 45438-2025 section 5) as the first response filter: the
 * wording at the start or the end of each choice's text, separated by a blank line, the same for
 * whole answers and streams. The wording's language follows the prompt (the last user message),
 * known before any output exists, so both paths choose the same; a prompt without letters leaves
 * the choice to the answer's first piece of text.
 *
 * <p>Never applied where a label would break the answer: a choice without text (a tool-call turn),
 * and JSON mode or structured output ({@code response_format} {@code json_object} or
 * {@code json_schema}), whose content must stay valid JSON; their label is the {@code aigc} object
 * and the {@code X-AIGC-Label} header. Nothing is held back.
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
        boolean promptTells = request.lastUser().codePoints().anyMatch(Character::isLetter);
        boolean start = explicit.position() == ExplicitLabel.Position.START;
        return new AnswerFilter() {
            private boolean sawText;
            private String wording = promptTells ? explicit.wordingFor(request.lastUser()) : null;

            @Override
            public String text(String piece) {
                if (!on || piece.isEmpty()) {
                    return piece;
                }
                boolean first = !sawText;
                sawText = true;
                if (wording == null) {
                    wording = explicit.wordingFor(piece);
                }
                return first && start ? wording + "\n\n" + piece : piece;
            }

            @Override
            public String end() {
                return on && sawText && !start ? "\n\n" + wording : "";
            }
        };
    }

    private static boolean structured(ChatRequest request) {
        JsonNode type = request.body().path("response_format").path("type");
        return type.isTextual() && (type.asText().equals("json_object") || type.asText().equals("json_schema"));
    }
}
