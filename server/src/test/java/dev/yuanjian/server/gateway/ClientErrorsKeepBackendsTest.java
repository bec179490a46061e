package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.testing.OpenAiLoopback.Fault;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: "Three image requests to a chat-only backend (which answers 4xx) open its circuit
 * breaker, and every user's chat gets 503 for 30 s." Only backend faults (connection errors,
 * timeouts, 5xx, 429) count against a backend; a client's 4xx never does.
 */
class ClientErrorsKeepBackendsTest {
    private static final ModelConfig.Breaker THREE = new ModelConfig.Breaker(3, Duration.ofSeconds(30));
    @TempDir
    Path dir;
    GatewayFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String image(String model) {
        return "{\"model\":\"" + model + "\",\"prompt\":\"a red dot\",\"size\":\"256x256\"}";
    }

    @Test
    void imageRequestsToAChatOnlyBackendNeverOpenItsCircuit() throws Exception {
        f = new GatewayFixture(dir, c -> c.withBreaker(THREE));
        f.upstream.withoutImages();

        for (int i = 0; i < 6; i++) {
            Calls.Answer refused = Calls.post(f.base(), "/v1/images/generations", image("solo"));
            assertThat(refused.status()).as("image request %d: %s", i, refused.json()).isEqualTo(404);
            assertThat(refused.errorCode()).isEqualTo("upstream_rejected");
        }

        // Another client's chat on the same backend, within the 30 s the circuit would stay open.
        Calls.Answer chat = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));
        assertThat(chat.status()).as(chat.json().toString()).isEqualTo(200);
        assertThat(chat.text()).contains("loopback model");
    }

    @Test
    void clientErrorsOfEveryKindLeaveTheBackendServing() throws Exception {
        f = new GatewayFixture(dir, c -> c.withBreaker(THREE));
        f.upstream.fault(new Fault.Status(400, null), new Fault.Status(401, null), new Fault.Status(404, null),
                new Fault.Status(413, null), new Fault.Status(415, null), new Fault.Status(422, null));

        for (int expected : new int[] {400, 401, 404, 413, 415, 422}) {
            Calls.Answer refused = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));
            assertThat(refused.status()).isEqualTo(expected);
        }

        Calls.Answer chat = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));
        assertThat(chat.status()).as(chat.json().toString()).isEqualTo(200);
    }

    @Test
    void streamedClientErrorsLeaveTheBackendServing() throws Exception {
        f = new GatewayFixture(dir, c -> c.withBreaker(THREE));
        for (int i = 0; i < 4; i++) {
            f.upstream.fault(new Fault.Status(400, null));
        }

        for (int i = 0; i < 4; i++) {
            Calls.Answer refused = Calls.post(f.base(), "/v1/chat/completions",
                    Calls.chat("solo").replace("{\"model\"", "{\"stream\":true,\"model\""));
            assertThat(refused.status()).isEqualTo(400);
        }

        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(200);
    }

    @Test
    void repeated429sCountAgainstTheBackend() throws Exception {
        f = new GatewayFixture(dir, c -> c.withBreaker(new ModelConfig.Breaker(2, Duration.ofSeconds(30))));
        // A Retry-After beyond the cap: each 429 is passed back at once, one upstream call per request.
        f.upstream.fault(new Fault.Status(429, "60"), new Fault.Status(429, "60"));

        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(429);
        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(429);
        Calls.Answer skipped = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        assertThat(skipped.status()).as(skipped.json().toString()).isEqualTo(503);
        assertThat(skipped.errorCode()).isEqualTo("backends_unavailable");
        assertThat(f.upstream.requests()).as("the open circuit spared the backend").isEqualTo(2);
    }
}
