package dev.yuanjian.gateway;

import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.privacy.Restorer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts back the personal data {@link PersonalDataFilter} replaced, in each choice's text and in its
 * tool calls' arguments, whole or streamed: a {@link Restorer} per text holds back only a tail that
 * could still become a placeholder, so a placeholder cut over any number of chunks is restored and
 * the first token is not delayed. In arguments (JSON) the original is written JSON-escaped, so a
 * name with a quote or backslash keeps them valid. Only placeholders the request's map issued are
 * replaced; any other bracketed text stays as the model wrote it.
 *
 * <p>It must come before the visible label in the chain: it then sees the model's own text (a label
 * put in front cannot be taken for, or complete, a placeholder), and the label filter sees the
 * restored text, the one the client gets (an answer that starts with a placeholder is prose, not
 * JSON). A request the masking filter did not see (privacy off for it) passes unchanged.
 */
public final class PersonalDataRestorer implements ResponseFilter {

    @Override
    public String name() {
        return "privacy-restore";
    }

    @Override
    public AnswerFilter open(ChatRequest request) {
        Optional<PlaceholderMap> map = request.caller().noted(PlaceholderMap.class);
        return map.isPresent() ? new Restoring(map.get()) : new AnswerFilter() {
            @Override
            public String text(String piece) {
                return piece;
            }

            @Override
            public String end() {
                return "";
            }
        };
    }

    /** One choice: its text and each tool call's arguments, each with its own restorer. */
    private static final class Restoring implements AnswerFilter {
        private final PlaceholderMap map;
        private final Restorer text;
        private final Map<Integer, Restorer> arguments = new HashMap<>();

        Restoring(PlaceholderMap map) {
            this.map = map;
            this.text = new Restorer(map, Restorer.Encoding.TEXT);
        }

        @Override
        public String text(String piece) {
            return text.next(piece);
        }

        @Override
        public String end() {
            return text.end();
        }

        @Override
        public String arguments(int call, String piece) {
            return arguments.computeIfAbsent(call, k -> new Restorer(map, Restorer.Encoding.JSON_STRING)).next(piece);
        }

        @Override
        public String argumentsEnd(int call) {
            Restorer r = arguments.get(call);
            return r == null ? "" : r.end();
        }
    }
}
