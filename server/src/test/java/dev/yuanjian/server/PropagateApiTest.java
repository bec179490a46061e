package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.server.Http.Multipart;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/propagate}: a platform adds itself to a label over HTTP, and verify reports both parties. */
class PropagateApiTest {
    @TempDir
    static Path home;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(home, 1 << 20);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private static byte[] file(JsonNode answer) {
        return Base64.getDecoder().decode(answer.at("/file/base64").asText());
    }

    @Test
    void aLabelledUploadGetsThePlatformsFieldsAndBothSealsCheck() throws Exception {
        HttpResponse<byte[]> labelled = http.post("/api/v1/label", new Multipart().file("file", "a.md", "# 新闻\n\n正文。\n"));
        assertThat(labelled.statusCode()).isEqualTo(201);
        String produceId = Http.json(labelled).get("contentId").asText();

        HttpResponse<byte[]> propagated = http.post("/api/v1/propagate",
                new Multipart().file("file", "a.md", new String(file(Http.json(labelled)), StandardCharsets.UTF_8)));

        assertThat(propagated.statusCode()).as(Http.text(propagated)).isEqualTo(201);
        JsonNode answer = Http.json(propagated);
        assertThat(answer.at("/aigc/ProduceID").asText()).isEqualTo(produceId);
        assertThat(answer.at("/aigc/PropagateID").asText()).isEqualTo(answer.get("contentId").asText());
        assertThat(answer.at("/aigc/ReservedCode2").asText()).startsWith("YJ2.");
        HttpResponse<byte[]> verified = http.post("/api/v1/verify", new Multipart().file("file", "a.md",
                new String(file(answer), StandardCharsets.UTF_8)));
        JsonNode report = Http.json(verified);
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.get("role").asText()).isEqualTo("producer");
        JsonNode label = report.at("/findings/1/view");
        assertThat(label.at("/producer/claim").asText()).isEqualTo("issued here, intact");
        assertThat(label.at("/propagator/claim").asText()).isEqualTo("issued here, intact");
    }

    @Test
    void anUnlabelledUploadNeedsTheLevelThePlatformGivesIt() throws Exception {
        HttpResponse<byte[]> refused = http.post("/api/v1/propagate", new Multipart().file("file", "b.md", "# 某文\n"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Http.json(refused).at("/error/message").asText()).contains("level 2", "3");

        HttpResponse<byte[]> nonsense = http.post("/api/v1/propagate",
                new Multipart().file("file", "b.md", "# 某文\n").field("level", "9"));
        assertThat(nonsense.statusCode()).isEqualTo(400);
        assertThat(Http.json(nonsense).at("/error/code").asText()).isEqualTo("bad_parameter");

        HttpResponse<byte[]> suspected = http.post("/api/v1/propagate",
                new Multipart().file("file", "b.md", "# 某文\n").field("level", "3"));
        assertThat(suspected.statusCode()).isEqualTo(201);
        JsonNode answer = Http.json(suspected);
        assertThat(answer.at("/aigc/Label").asText()).isEqualTo("3");
        assertThat(answer.at("/aigc/ContentProducer").asText()).isEmpty();
        JsonNode report = Http.json(http.post("/api/v1/verify", new Multipart().file("file", "b.md",
                new String(file(answer), StandardCharsets.UTF_8))));
        assertThat(report.get("verdict").asText()).isEqualTo("intact");
        assertThat(report.get("role").asText()).isEqualTo("propagator");
    }
}
