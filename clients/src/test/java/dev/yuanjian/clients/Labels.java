package dev.yuanjian.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading the gateway's label out of what a client kept: raw bodies, stream events, headers. */
final class Labels {
    static final ObjectMapper JSON = new ObjectMapper();

    private Labels() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** The {@code aigc} object of the first event data that has one (a stream's label chunk). */
    static Optional<JsonNode> aigcIn(List<String> eventData) {
        return eventData.stream().filter(d -> d.startsWith("{")).map(Labels::json)
                .filter(n -> n.has("aigc")).map(n -> n.get("aigc")).findFirst();
    }

    /** A header's only value, its name matched regardless of case, as HTTP headers are. */
    static String header(Map<String, List<String>> headers, String name) {
        List<String> values = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).toList();
        if (values.size() != 1) {
            throw new AssertionError("expected one " + name + " header, got " + values + " in " + headers.keySet());
        }
        return values.getFirst();
    }
}
