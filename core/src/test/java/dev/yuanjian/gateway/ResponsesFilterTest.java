package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response filters on {@code /v1/responses} as on chat: a filter that holds back a placeholder
 * cut across events releases it in the next delta (or one more delta before output_text.done), and
 * the client, the final response and the log see the same text, translated or passed through. A
 * request filter's rewrite reaches the model whichever API its backend speaks.
 */
class ResponsesFilterTest {
    private static final String PLACEHOLDER = "[[person one]]";
    private static final String RESTORED = "Dear Alice , your order [ ships today.";

    @TempDir
    Path dir;
    Yuanjian app;
    OpenAiLoopback upstream;

    @BeforeEach
    void open() throws Exception {
        app = Yuanjian.open(new Home(dir), Settings.defaults(), Map.of());
        upstream = new OpenAiLoopback().reply("Dear " + PLACEHOLDER + " , your order [ ships today.");
    }

    @AfterEach
    void close() {
        upstream.close();
        app.close();
    }

    private Gateway gateway(List<RequestFilter> requestFilters) {
        ModelConfig config = ModelConfig.of(List.of(
                new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE),
                new Backend("n#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE,
                        null, null, Backend.Api.RESPONSES)));
        return new Gateway(config, app.pipeline(), requestFilters, List.of(new GatewayFilterTest.Restore()),
                JsonViews.mapper());
    }

    private static ResponsesRequest request(Gateway gateway, String model, boolean stream) {
        return ResponsesRequest.of(gateway.parse(("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"input\":\"write to Alice\"}").getBytes(StandardCharsets.UTF_8)), Optional.empty());
    }

    private String loggedSha(String contentId) {
        return app.log().findByContentId(contentId).orElseThrow().record().sha256();
    }

    private static String sha(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The data of each event, in order; the stream finished. */
    private static List<JsonNode> stream(Gateway gateway, ResponsesRequest request) {
        List<JsonNode> events = new ArrayList<>();
        Outcome outcome = stream(gateway, request, events);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Streamed.class, s -> assertThat(s.finished()).isTrue());
        return events;
    }

    private static Outcome stream(Gateway gateway, ResponsesRequest request, List<JsonNode> events) {
        return gateway.responsesStream(request, new StreamSink() {
            @Override
            public void open() {
            }

            @Override
            public void send(byte[] event) throws java.io.IOException {
                String e = new String(event, StandardCharsets.UTF_8);
                int data = e.indexOf("\ndata: ");
                if (data >= 0) {
                    events.add(JsonViews.mapper().readTree(e.substring(data + 7)));
                }
            }
        });
    }

    @Test
    void aPlaceholderCutAcrossEventsIsRestoredTranslatedAndPassedThrough() throws Exception {
        try (Gateway gateway = gateway(List.of())) {
            for (String model : List.of("poet", "native")) {
                List<JsonNode> events = stream(gateway, request(gateway, model, true));
                StringBuilder text = new StringBuilder();
                List<String> deltas = new ArrayList<>();
                for (JsonNode e : events) {
                    if (e.path("type").asText().equals("response.output_text.delta")) {
                        deltas.add(e.path("delta").asText());
                        text.append(e.path("delta").asText());
                    }
                }
                assertThat(text.toString()).as(model).isEqualTo(RESTORED);
                assertThat(deltas).as(model).doesNotContain("").contains("Alice");
                JsonNode done = events.stream().filter(e -> e.path("type").asText().equals("response.output_text.done"))
                        .findFirst().orElseThrow();
                assertThat(done.path("text").asText()).isEqualTo(RESTORED);
                JsonNode completed = events.getLast();
                assertThat(completed.path("type").asText()).isEqualTo("response.completed");
                assertThat(completed.at("/response/output/0/content/0/text").asText()).isEqualTo(RESTORED);
                assertThat(completed.at("/response/aigc/restored").asBoolean()).isTrue();
                assertThat(loggedSha(completed.at("/response/aigc/contentId").asText())).isEqualTo(sha(RESTORED));

                Outcome.Completed whole = (Outcome.Completed) gateway.responses(request(gateway, model, false));
                assertThat(whole.body().at("/output/0/content/0/text").asText()).as(model).isEqualTo(RESTORED);
                assertThat(whole.body().at("/aigc/restored").asBoolean()).isTrue();
                assertThat(loggedSha(whole.contentIds().getFirst())).isEqualTo(sha(RESTORED));
            }
        }
    }

    @Test
    void aFilterThatRefusesAtTheEndFailsTheStreamAfterLoggingWhatWasSent() throws Exception {
        ResponseFilter refuse = new ResponseFilter() {
            public String name() {
                return "test-refuse-end";
            }

            public AnswerFilter open(ChatRequest request) {
                return new AnswerFilter() {
                    public String text(String piece) {
                        return piece;
                    }

                    public String end() {
                        throw GatewayError.of(400, "invalid_request_error", "refused_by_filter", "refused at the end");
                    }
                };
            }
        };
        ModelConfig config = ModelConfig.of(List.of(
                new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE),
                new Backend("n#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE,
                        null, null, Backend.Api.RESPONSES)));
        try (Gateway gateway = new Gateway(config, app.pipeline(), List.of(), List.of(refuse), JsonViews.mapper())) {
            for (String model : List.of("poet", "native")) {
                List<JsonNode> events = new ArrayList<>();
                Outcome outcome = stream(gateway, request(gateway, model, true), events);
                assertThat(outcome).isInstanceOfSatisfying(Outcome.Streamed.class, s -> {
                    assertThat(s.finished()).isFalse();
                    assertThat(s.problem()).isEqualTo("refused at the end");
                });
                JsonNode failed = events.get(events.size() - 2);
                assertThat(failed.path("type").asText()).as(model).isEqualTo("response.failed");
                assertThat(failed.at("/response/error/code").asText()).isEqualTo("refused_by_filter");
                JsonNode error = events.getLast();
                assertThat(error.path("type").asText()).isEqualTo("error");
                assertThat(error.path("code").asText()).isEqualTo("refused_by_filter");
                assertThat(error.at("/error/message").asText()).isEqualTo("refused at the end");
                String sent = upstream.pieces().stream().reduce("", String::concat);
                assertThat(loggedSha(failed.at("/response/aigc/contentId").asText())).isEqualTo(sha(sent));
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void aRewrittenRequestReachesAResponsesBackendThroughItsChatCompletions() throws Exception {
        RequestFilter mask = new RequestFilter() {
            public String name() {
                return "test-mask";
            }

            public void filter(ChatRequest request) {
                ((ObjectNode) request.body().at("/messages/0")).put("content", "write to " + PLACEHOLDER);
            }
        };
        try (Gateway gateway = gateway(List.of())) {
            gateway.responses(request(gateway, "native", false));
            assertThat(upstream.bodies().getLast().path("input").asText()).as("unchanged: passed through")
                    .isEqualTo("write to Alice");
        }
        try (Gateway gateway = gateway(List.of(mask))) {
            for (boolean stream : new boolean[] {false, true}) {
                if (stream) {
                    stream(gateway, request(gateway, "native", true));
                } else {
                    gateway.responses(request(gateway, "native", false));
                }
                JsonNode sent = upstream.bodies().getLast();
                assertThat(sent.has("input")).isFalse();
                assertThat(sent.at("/messages/0/content").asText()).isEqualTo("write to " + PLACEHOLDER);
            }
        }
    }
}
