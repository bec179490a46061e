package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream that breaks the protocol in ways that would let output past the label and the log,
 * or fill the gateway's memory: nothing reaches the client that is not labelled and logged, and
 * the stream ends with an error event.
 */
class HostileUpstreamTest {
    @TempDir
    Path dir;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-h\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}\n\n";
    }

    private String stream() throws Exception {
        return new String(Calls.post(f.base(), "/v1/chat/completions",
                Calls.chat("solo").replace("{\"model\"", "{\"stream\":true,\"model\"")).response().body(), StandardCharsets.UTF_8);
    }

    @Test
    void textAfterAChoiceFinishedNeverReachesTheClient() throws Exception {
        long before = f.app.log().size();
        f.upstream.fault(new OpenAiLoopback.Fault.Raw(chunk("{\"role\":\"assistant\",\"content\":\"Hello \"}", null)
                + chunk("{}", "stop") + chunk("{\"content\":\"SECRET after finish\"}", null) + chunk("{}", "stop")
                + "data: [DONE]\n\n", null));
        String sse = stream();
        assertThat(sse).doesNotContain("SECRET").contains("\"aigc\"").contains("event: error\n")
                .contains("after finishing it").doesNotContain("[DONE]");
        assertThat(f.app.log().size()).isEqualTo(before + 1);
        assertThat(f.app.log().entry(before).orElseThrow().record().sha256()).isEqualTo(OpenAiSdkTest.sha256("Hello ".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aStreamThatNeverEndsIsCutAndWhatWasSentIsLogged() throws Exception {
        long before = f.app.log().size();
        String piece = "x".repeat(64 * 1024);
        f.upstream.fault(new OpenAiLoopback.Fault.Raw(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"" + piece + "\"}", null)));
        String sse = stream();
        assertThat(sse).contains("event: error\n").contains("M characters; it was cut there")
                .contains("the partial output was logged as").doesNotContain("[DONE]");
        assertThat(f.app.log().size()).isEqualTo(before + 1);
        // What is logged is exactly the text the client received before the cut.
        StringBuilder sent = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {\"id\"")) {
                sent.append(Calls.JSON.readTree(line.substring(6)).at("/choices/0/delta/content").asText(""));
            }
        }
        assertThat(sent.length()).isPositive();
        assertThat(f.app.log().entry(before).orElseThrow().record().sha256())
                .isEqualTo(OpenAiSdkTest.sha256(sent.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWholeAnswerWithNoChoiceIsTheBackendsFaultNotAnUnlabelledAnswer() throws Exception {
        long before = f.app.log().size();
        for (int i = 0; i < 3; i++) { // every retry gets the same
            f.upstream.fault(new OpenAiLoopback.Fault.Raw(
                    "{\"id\":\"chatcmpl-h\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[],"
                            + "\"output_text\":\"SECRET\"}", null));
        }
        Calls.Answer answer = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.response().body(), StandardCharsets.UTF_8)).doesNotContain("SECRET")
                .contains("no choice");
        assertThat(f.app.log().size()).isEqualTo(before);
    }
}
