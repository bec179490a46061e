package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import java.io.IOException;
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

/** The stream relay with the visible label at either end, straight into a collecting sink. */
class GatewayStreamTest {
    @TempDir
    Path dir;
    Yuanjian app;
    OpenAiLoopback upstream;

    @BeforeEach
    void open() throws Exception {
        Settings d = Settings.defaults();
        app = Yuanjian.open(new Home(dir), new Settings(d.producerCode(), d.logOrigin(), d.explicit(), d.host(), 0,
                d.maxUploadBytes(), "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", true), Map.of());
        upstream = new OpenAiLoopback().reply("春眠不觉晓，处处闻啼鸟。");
    }

    @AfterEach
    void close() {
        upstream.close();
        app.close();
    }

    private record Streamed(String text, JsonNode last, Outcome outcome) {
    }

    private Streamed stream(ExplicitLabel.Position position) throws Exception {
        ExplicitLabel label = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
        ModelConfig config = ModelConfig.of(List.of(new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(), "",
                "", 1, 0, Backend.Limits.NONE))).withExplicitText(true);
        List<String> events = new ArrayList<>();
        try (Gateway gateway = new Gateway(config, app.pipeline(), List.of(), List.of(new ExplicitLabelFilter(label, true)),
                JsonViews.mapper())) {
            ChatRequest request = ChatRequest.of(gateway.parse(("{\"model\":\"poet\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"写一首诗\"}]}").getBytes(StandardCharsets.UTF_8)), Optional.empty());
            Outcome outcome = gateway.stream(request, new StreamSink() {
                @Override
                public void open() {
                }

                @Override
                public void send(byte[] event) throws IOException {
                    events.add(new String(event, StandardCharsets.UTF_8));
                }
            });
            StringBuilder text = new StringBuilder();
            JsonNode last = null;
            for (String e : events) {
                if (e.startsWith("data: {")) {
                    last = new ObjectMapper().readTree(e.substring(6));
                    last.path("choices").forEach(c -> text.append(c.path("delta").path("content").asText("")));
                }
            }
            assertThat(events.getLast()).isEqualTo("data: [DONE]\n\n");
            assertThat(events).anyMatch(e -> e.startsWith(": keep-alive"));
            return new Streamed(text.toString(), last, outcome);
        }
    }

    private void assertLoggedAsStreamed(Streamed s) throws Exception {
        String id = s.last().at("/aigc/contentId").asText();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.text().getBytes(StandardCharsets.UTF_8)));
        assertThat(app.log().findByContentId(id).orElseThrow().record().sha256()).isEqualTo(sha);
        assertThat(((Outcome.Streamed) s.outcome()).finished()).isTrue();
    }

    @Test
    void theVisibleLabelLeadsInTheLanguageOfTheQuestion() throws Exception {
        Streamed s = stream(ExplicitLabel.Position.START);

        assertThat(s.text()).isEqualTo("本内容由人工智能生成\n\n春眠不觉晓，处处闻啼鸟。");
        assertLoggedAsStreamed(s);
    }

    @Test
    void theVisibleLabelCanCloseTheStream() throws Exception {
        Streamed s = stream(ExplicitLabel.Position.END);

        assertThat(s.text()).isEqualTo("春眠不觉晓，处处闻啼鸟。\n\n本内容由人工智能生成");
        assertLoggedAsStreamed(s);
    }
}
