package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The response filters opened for one text of one answer, run in order: what the Responses API
 * paths use to label each output text the same way chat answers are labelled, whole or streamed.
 */
final class AnswerChain {
    private final List<ResponseFilter.AnswerFilter> filters;
    private final StringBuilder sent = new StringBuilder();

    AnswerChain(List<ResponseFilter> filters, ChatRequest request) {
        this.filters = filters.stream().map(f -> f.open(request)).toList();
    }

    /** {@code piece} through every filter; returns what may be sent now (possibly ""). */
    String text(String piece) {
        String out = pass(0, piece);
        sent.append(out);
        return out;
    }

    /**
     * Ends every filter: what one releases passes through the ones after it. Returns what is still
     * to be sent (possibly "").
     *
     * @throws GatewayError when a filter refuses the answer
     */
    String end() {
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < filters.size(); i++) {
            tail.append(pass(i + 1, filters.get(i).end()));
        }
        sent.append(tail);
        return tail.toString();
    }

    /** A piece of function call {@code call}'s arguments through every filter; returns what may be sent now. */
    String arguments(int call, String piece) {
        return StreamRelay.passArguments(filters, call, piece);
    }

    /** Ends function call {@code call}'s arguments; returns what the filters held back of them. */
    String argumentsEnd(int call) {
        return StreamRelay.finishArguments(filters, call);
    }

    /** Everything this chain let through so far: the text exactly as the client got it. */
    String sent() {
        return sent.toString();
    }

    /** Adds what each filter reports to {@code aigc}. */
    void annotate(ObjectNode aigc) {
        filters.forEach(f -> f.annotate(aigc));
    }

    private String pass(int from, String piece) {
        String out = piece;
        for (int i = from; i < filters.size(); i++) {
            out = filters.get(i).text(out);
        }
        return out;
    }
}
