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

    private static String raw(String choices) {
        return "data: {\"id\":\"chatcmpl-h\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":" + choices + "}\n\n";
    }

    /** Chunks whose output the assembly would not see: each ends the stream before it is sent. */
    @Test
    void chunksCarryingOutputPastTheAssemblyEndTheStream() throws Exception {
        String hello = chunk("{\"role\":\"assistant\",\"content\":\"hello\"}", null);
        for (String bad : java.util.List.of(
                raw("[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"},{\"index\":0,\"delta\":{\"content\":\"SECRET\"}}]"),
                raw("[\"SECRET\"]"),
                raw("[{\"index\":0,\"delta\":\"SECRET\",\"finish_reason\":null}]"),
                raw("[{\"index\":0,\"delta\":{},\"text\":\"SECRET\",\"finish_reason\":null}]"),
                raw("[{\"index\":0,\"delta\":{},\"message\":{\"content\":\"SECRET\"},\"finish_reason\":null}]"))) {
            long before = f.app.log().size();
            f.upstream.fault(new OpenAiLoopback.Fault.Raw(hello + bad + chunk("{}", "stop") + "data: [DONE]\n\n", null));
            String sse = stream();
            assertThat(sse).as(bad).doesNotContain("SECRET").contains("event: error\n").doesNotContain("[DONE]");
            assertThat(f.app.log().size()).as(bad).isEqualTo(before + 1);
            assertThat(f.app.log().entry(before).orElseThrow().record().sha256()).as(bad)
                    .isEqualTo(OpenAiSdkTest.sha256("hello".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Comments without end, blank lines or ignored fields forever, comments forever: all cut, none fills the heap. */
    @Test
    void whatNeverBecomesAnEventOrNeverEndsIsCut() throws Exception {
        String hello = chunk("{\"role\":\"assistant\",\"content\":\"hello\"}", null);
        String kib = "y".repeat(60 * 1024);
        for (String forever : java.util.List.of(": " + kib + "\n", "\n", "id: 1\nevent: x\n", ": " + kib + "\n\n")) {
            f.upstream.fault(new OpenAiLoopback.Fault.Raw(hello, forever));
            String sse = stream();
            assertThat(sse).as(forever.substring(0, Math.min(8, forever.length()))).contains("event: error\n")
                    .contains("the partial output was logged as").doesNotContain("[DONE]");
        }
    }

    /** Whole answers whose choices do not hold their output where it is labelled from: the backend's fault. */
    @Test
    void wholeAnswersWithMalformedChoicesAreTheBackendsFault() throws Exception {
        f.close(); // a breaker that stays closed through every case here
        f = new GatewayFixture(java.nio.file.Files.createDirectories(dir.resolve("patient")),
                c -> c.withBreaker(new dev.yuanjian.model.ModelConfig.Breaker(1000, java.time.Duration.ofSeconds(30))));
        long before = f.app.log().size();
        for (String choices : java.util.List.of("[\"SECRET\"]", "[null]",
                "[{\"index\":0,\"message\":\"SECRET\",\"finish_reason\":\"stop\"}]",
                "[{\"index\":0,\"text\":\"SECRET\",\"finish_reason\":\"stop\"}]",
                "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"text\":\"SECRET\"}]")) {
            for (int i = 0; i < 3; i++) {
                f.upstream.fault(new OpenAiLoopback.Fault.Raw("{\"id\":\"chatcmpl-h\",\"object\":\"chat.completion\","
                        + "\"created\":1,\"model\":\"m\",\"choices\":" + choices + "}", null));
            }
            Calls.Answer answer = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));
            assertThat(answer.status()).as(choices).isEqualTo(502);
            assertThat(new String(answer.response().body(), StandardCharsets.UTF_8)).as(choices).doesNotContain("SECRET");
            f.upstream.clearFaults();
        }
        assertThat(f.app.log().size()).isEqualTo(before);
    }
}
