package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.label.ExplicitLabel;

/**
 * The visible label on generated text (GB 45438-2025 section 5) as a response filter, after the one
 * restoring personal data (so it reads the text the client gets): the wording at the start or the
 * end of each choice's text, separated by a blank line ({@code "\n\n"}), the same for whole answers
 * and streams and for every choice. The wording's language is the prompt's, known before any output
 * exists, so both paths choose the same: the last user message's text, or, when that has no letters,
 * every message's text ({@link ExplicitLabel#wordingFor}).
 *
 * <p>Never applied where a label would break the answer: a choice without text (a tool-call turn:
 * its content stays null, its arguments untouched), JSON mode or structured output
 * ({@code response_format} {@code json_object} or {@code json_schema}), and an answer that is JSON
 * although the request did not say so (frameworks such as Spring AI ask for JSON in the prompt and
 * parse the answer): one that is a single JSON object or array, bare or in one fenced code block.
 * Such an answer is told by its first characters ({@code {}, {@code [} or a code fence): the label
 * is then not put in front, and at the end the whole text decides: JSON keeps no label in its
 * content; anything else gets the label at its end instead. Every choice's {@code aigc} object names
 * the wording and whether it is in the content ({@code "explicitLabel": {"text": ..., "inContent":
 * ...}}), so a client can show it either way, beside the {@code X-AIGC-Label} header. Only leading
 * white space and up to two backticks are held back, until the first characters tell.
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
        return on ? new Labelling(wording, start) : new AnswerFilter() {
            @Override
            public String text(String piece) {
                return piece;
            }

            @Override
            public String end() {
                return "";
            }

            @Override
            public void annotate(ObjectNode aigc) {
                aigc.putObject("explicitLabel").put("text", wording).put("inContent", false);
            }
        };
    }

    /** One choice's visible label, placed as the class comment says. */
    private static final class Labelling implements AnswerFilter {
        private final String wording;
        private final boolean start;
        /** Text not yet released: leading white space and backticks, until the first characters tell. */
        private final StringBuilder pending = new StringBuilder();
        /** The whole text of an answer that starts like JSON, to be judged at its end. */
        private StringBuilder jsonLike;
        private boolean decided;
        private boolean placed;

        Labelling(String wording, boolean start) {
            this.wording = wording;
            this.start = start;
        }

        @Override
        public String text(String piece) {
            if (decided) {
                if (jsonLike != null) {
                    jsonLike.append(piece);
                }
                return piece;
            }
            pending.append(piece);
            Boolean json = startsLikeJson(pending);
            if (json == null) {
                return ""; // only white space or a backtick or two so far
            }
            decided = true;
            String released = pending.toString();
            pending.setLength(0);
            if (json) {
                jsonLike = new StringBuilder(released);
                return released;
            }
            if (start) {
                placed = true;
                return wording + "\n\n" + released;
            }
            return released;
        }

        @Override
        public String end() {
            String held = pending.toString();
            pending.setLength(0);
            if (!decided && held.isBlank()) {
                return held; // no text at all (white space only): nothing to label
            }
            if (!decided && start) {
                placed = true; // a backtick or two and nothing after: prose after all
                return wording + "\n\n" + held;
            }
            if (placed || (jsonLike != null && isJson(jsonLike))) {
                return held;
            }
            placed = true;
            return held + "\n\n" + wording;
        }

        @Override
        public void annotate(ObjectNode aigc) {
            aigc.putObject("explicitLabel").put("text", wording).put("inContent", placed);
        }
    }

    /**
     * Whether {@code text} starts as JSON does ({@code {} or {@code [} after white space, or a code
     * fence), or null while it cannot tell yet (white space, or fewer than three backticks).
     */
    static Boolean startsLikeJson(CharSequence text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return null;
        }
        char c = text.charAt(i);
        if (c == '{' || c == '[') {
            return true;
        }
        if (c != '`') {
            return false;
        }
        int ticks = 0;
        while (i + ticks < text.length() && text.charAt(i + ticks) == '`' && ticks < 3) {
            ticks++;
        }
        if (ticks == 3) {
            return true;
        }
        return i + ticks == text.length() ? null : false;
    }

    /** Whether {@code text} is one JSON object or array, bare or as the only content of a fenced code block. */
    static boolean isJson(CharSequence text) {
        String s = text.toString().strip();
        if (s.startsWith("```")) {
            int firstLine = s.indexOf('\n');
            if (firstLine < 0 || !s.endsWith("```") || s.length() < firstLine + 4) {
                return false;
            }
            s = s.substring(firstLine + 1, s.length() - 3).strip();
        }
        if (s.isEmpty() || (s.charAt(0) != '{' && s.charAt(0) != '[')) {
            return false;
        }
        try {
            JsonNode node = STRICT.readTree(s);
            return node != null && node.isContainerNode();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = new com.fasterxml.jackson.databind.ObjectMapper()
            .reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
