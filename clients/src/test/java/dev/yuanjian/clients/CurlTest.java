package dev.yuanjian.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl, as docs/gateway.md shows it: the label in the headers ({@code -i}) and the body, and in a stream's last chunk. */
class CurlTest {
    private static Path curl;

    @TempDir
    Path dir;
    LiveGateway gw;

    @BeforeAll
    static void needsCurl() {
        curl = ExternalTools.require("curl", "curl");
    }

    @BeforeEach
    void start() throws Exception {
        gw = new LiveGateway(dir);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** The output of curl with {@code args} (each a separate argument, as a shell would pass them). */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "30"));
        command.addAll(List.of(args));
        Path out = dir.resolve("curl.out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("curl ended").isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("curl exit code; " + stderr).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static final String BODY = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

    @Test
    void theLabelIsInTheHeadersAndTheBody() throws Exception {
        String response = curl("-i", gw.baseUrl() + "/chat/completions", "-H", "Content-Type: application/json", "-d", BODY);

        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split);
        JsonNode body = Labels.json(response.substring(split + 4));
        String text = body.at("/choices/0/message/content").asText();
        String contentId = body.at("/aigc/contentId").asText();
        assertThat(text).isEqualTo(gw.labelledReply("Say hello."));
        gw.assertLogged(contentId, text);
        assertThat(head).containsIgnoringCase("X-Content-Id: " + contentId);
        String label = head.lines().filter(l -> l.regionMatches(true, 0, "X-AIGC-Label:", 0, 13)).findFirst().orElseThrow();
        assertThat(Labels.json(label.substring(13).strip()).path("ProduceID").asText()).isEqualTo(contentId);
    }

    @Test
    void aStreamsLabelIsInAChunk() throws Exception {
        String events = curl("-N", gw.baseUrl() + "/chat/completions", "-H", "Content-Type: application/json",
                "-d", BODY.replace("}]}", "}],\"stream\":true}"));

        List<String> data = events.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        data.stream().filter(d -> d.startsWith("{")).map(Labels::json)
                .forEach(c -> c.path("choices").forEach(ch -> text.append(ch.at("/delta/content").asText(""))));
        JsonNode aigc = Labels.aigcIn(data).orElseThrow(() -> new AssertionError("no aigc in " + events));
        gw.assertLogged(aigc.path("contentId").asText(), text.toString());
    }

    @Test
    void aQuickCurlWithoutContentTypeIsAnswered() throws Exception {
        String response = curl(gw.baseUrl() + "/chat/completions", "-d", BODY);

        assertThat(Labels.json(response).at("/choices/0/message/content").asText()).isEqualTo(gw.labelledReply("Say hello."));
    }
}
