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
 * Filters as the privacy and originality checks will use them: a response filter that restores a
 * placeholder cut across stream chunks holds back only the undecided tail, and the client and the
 * log see exactly the restored text, streamed or whole; a request filter rewrites the prompt before
 * the backend sees it, and one that refuses stops the call before any backend is asked.
 */
class GatewayFilterTest {
    private static final String PLACEHOLDER = "[[person one]]";

    @TempDir
    Path dir;
    Yuanjian app;
    OpenAiLoopback upstream;

    @BeforeEach
    void open() throws Exception {
        app = Yuanjian.open(new Home(dir), Settings.defaults(), Map.of());
        // The loopback streams word by word, so the placeholder (which holds a space) arrives in two chunks.
        upstream = new OpenAiLoopback().reply("Dear " + PLACEHOLDER + " , your order [ ships today.");
    }

    @AfterEach
    void close() {
        upstream.close();
        app.close();
    }

    /** Replaces the placeholder; holds back an unclosed "[[" or a trailing "[" until it can tell. */
    static final class Restore implements ResponseFilter {
        @Override
        public String name() {
            return "test-restore";
        }

        @Override
        public AnswerFilter open(ChatRequest request) {
            return new AnswerFilter() {
                private String held = "";

                @Override
                public String text(String piece) {
                    return release(held + piece, false);
                }

                @Override
                public String end() {
                    return release(held, true);
                }

                private String release(String pending, boolean all) {
                    String s = pending.replace(PLACEHOLDER, "Alice");
                    int open = s.lastIndexOf("[[");
                    int cut = all ? s.length()
                            : open >= 0 && s.indexOf("]]", open) < 0 ? open
                            : s.endsWith("[") ? s.length() - 1 : s.length();
                    held = s.substring(cut);
                    return s.substring(0, cut);
                }

                @Override
                public void annotate(ObjectNode aigc) {
                    aigc.put("restored", true);
                }
            };
        }
    }

    private Gateway gateway(List<RequestFilter> requestFilters) {
        ModelConfig config = ModelConfig.of(List.of(new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(), "",
                "", 1, 0, Backend.Limits.NONE)));
        return new Gateway(config, app.pipeline(), requestFilters, List.of(new Restore()), JsonViews.mapper());
    }

    private ChatRequest request(Gateway gateway, boolean stream) {
        return ChatRequest.of(gateway.parse(("{\"model\":\"poet\",\"stream\":" + stream + ",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"write to Alice\"}]}").getBytes(StandardCharsets.UTF_8)), Optional.empty());
    }

    private String loggedSha(String contentId) {
        return app.log().findByContentId(contentId).orElseThrow().record().sha256();
    }

    private static String sha(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aStreamedPlaceholderCutAcrossChunksIsRestoredHoldingBackOnlyTheTail() throws Exception {
        List<String> contents = new ArrayList<>();
        JsonNode[] last = new JsonNode[1];
        try (Gateway gateway = gateway(List.of())) {
            gateway.stream(request(gateway, true), new StreamSink() {
                @Override
                public void open() {
                }

                @Override
                public void send(byte[] event) throws java.io.IOException {
                    String e = new String(event, StandardCharsets.UTF_8);
                    if (e.startsWith("data: {")) {
                        JsonNode chunk = JsonViews.mapper().readTree(e.substring(6));
                        chunk.path("choices").forEach(c -> {
                            if (c.path("delta").path("content").isTextual()) {
                                contents.add(c.path("delta").path("content").asText());
                            }
                        });
                        last[0] = chunk;
                    }
                }
            });
        }
        String text = String.join("", contents);
        assertThat(text).isEqualTo("Dear Alice , your order [ ships today.");
        // The chunk that opened the placeholder (" [[person") went out as " ", its tail held back until
        // the next chunk closed it; the same for a lone "[": never the whole answer.
        assertThat(contents).containsSubsequence("Dear", " ", "Alice", " ,", " your", " order", " ", "[ ships", " today.");
        assertThat(last[0].at("/aigc/restored").asBoolean()).isTrue();
        assertThat(loggedSha(last[0].at("/aigc/contentId").asText())).isEqualTo(sha(text));
    }

    @Test
    void aWholeAnswerIsRestoredTheSameWay() throws Exception {
        try (Gateway gateway = gateway(List.of())) {
            Outcome.Completed done = (Outcome.Completed) gateway.chat(request(gateway, false));
            String content = done.body().at("/choices/0/message/content").asText();
            assertThat(content).isEqualTo("Dear Alice , your order [ ships today.");
            assertThat(done.body().at("/aigc/restored").asBoolean()).isTrue();
            assertThat(loggedSha(done.contentIds().getFirst())).isEqualTo(sha(content));
        }
    }

    @Test
    void requestFiltersRunBeforeAnyBackendAndMayRefuse() throws Exception {
        RequestFilter mask = new RequestFilter() {
            public String name() {
                return "test-mask";
            }

            public void filter(ChatRequest request) {
                ((ObjectNode) request.body().at("/messages/0")).put("content", "write to " + PLACEHOLDER);
            }
        };
        try (Gateway gateway = gateway(List.of(mask))) {
            gateway.chat(request(gateway, false));
            assertThat(upstream.bodies().getLast().at("/messages/0/content").asText()).isEqualTo("write to " + PLACEHOLDER);
        }
        RequestFilter refuse = new RequestFilter() {
            public String name() {
                return "test-refuse";
            }

            public void filter(ChatRequest request) {
                throw GatewayError.invalid("messages", "refused by test-refuse");
            }
        };
        int before = upstream.requests();
        try (Gateway gateway = gateway(List.of(refuse))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.chat(request(gateway, false)))
                    .isInstanceOf(GatewayError.class).hasMessageContaining("refused by test-refuse");
        }
        assertThat(upstream.requests()).isEqualTo(before);
    }
}
