package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A transformation or check of generated text, the same for whole answers and for streams: the
 * gateway opens one {@link AnswerFilter} per choice, feeds it the text as it arrives (a whole
 * answer is one piece) and closes it at the end. Filters are chained in the order the composition
 * root lists them (restoring personal data first, when on, so that it sees the model's own text;
 * then the visible label); each sees what the one before it let through. Tool calls' arguments go
 * through the same chain by {@link AnswerFilter#arguments}, which leaves them alone unless a filter
 * says otherwise.
 */
public interface ResponseFilter {

    /** Stable name, for logs and errors. */
    String name();

    /** A new filter for one choice of one answer to {@code request}. */
    AnswerFilter open(ChatRequest request);

    /**
     * One choice's filter. Not shared between threads.
     *
     * <p>A filter may hold back the shortest tail of what it was given that it cannot decide on yet
     * (a placeholder cut between two chunks), and must release it at {@link #end}; it never holds
     * back the whole answer, so a stream's time to first token stays the upstream's.
     */
    interface AnswerFilter {

        /** The next piece of the answer's text; returns what may be sent now (possibly ""). */
        String text(String piece);

        /**
         * The answer ended; returns what was held back plus anything to append.
         *
         * @throws GatewayError to end the answer with an error instead (a stream gets an error event)
         */
        String end();

        /**
         * The next piece of the {@code arguments} (JSON text) of this choice's tool call number
         * {@code call} (its {@code index} in a stream, its position in a whole answer); returns what
         * may be sent now. Like text, a filter may hold back a short tail until {@link #argumentsEnd}.
         * Unchanged unless a filter overrides it: the visible label never touches arguments.
         */
        default String arguments(int call, String piece) {
            return piece;
        }

        /** Tool call {@code call}'s arguments ended (the choice finished); returns what was held back of them. */
        default String argumentsEnd(int call) {
            return "";
        }

        /** Adds what this filter reports about the answer to its {@code aigc} object (e.g. an attribution). */
        default void annotate(ObjectNode aigc) {
        }
    }
}
