package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.Caller;
import dev.yuanjian.gateway.ExplicitLabelFilter;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.gateway.PersonalDataFilter;
import dev.yuanjian.gateway.PersonalDataRestorer;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.privacy.rules.Rules;
import dev.yuanjian.privacy.vault.Vault;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway over the real vault: a request of a conversation with too many new values is refused
 * 413 in OpenAI's shape with nothing stored or forwarded, and a missing vault key is a 503 that says
 * what to do, not a 500 (the attacks: 5,000 phones in one request grew the file by 232-321 MB; a
 * deleted keys/vault.key gave every conversation request internal_error).
 */
class VaultGatewayTest {
    @TempDir
    Path dir;

    private record Served(Yuanjian app, OpenAiLoopback upstream, Javalin javalin) implements AutoCloseable {
        static Served start(Path dir) throws Exception {
            Yuanjian app = GatewayFixture.open(dir);
            OpenAiLoopback upstream = new OpenAiLoopback();
            ModelConfig config = ModelConfig.of(List.of(GatewayFixture.backend("chat#0", "chat", upstream.baseUrl(), 0)));
            Gateway gateway = new Gateway(config, app.pipeline(),
                    List.of(new PersonalDataFilter(new Pseudonymizer(new Analyzer(Rules.all())),
                            Optional.of(app.conversations()), JsonViews.mapper())),
                    List.of(new PersonalDataRestorer(), new ExplicitLabelFilter(app.settings().explicit(), true)),
                    JsonViews.mapper());
            Javalin javalin = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = "127.0.0.1";
                c.jetty.port = 0;
                GatewayRoutes.install(c, gateway, app.gatekeeper());
            }).start();
            return new Served(app, upstream, javalin);
        }

        HttpResponse<String> chat(String text, boolean stream) throws Exception {
            String body = JsonViews.mapper().createObjectNode().put("model", "chat").put("stream", stream)
                    .set("messages", JsonViews.mapper().createArrayNode().add(JsonViews.mapper().createObjectNode()
                            .put("role", "user").put("content", text))).toString();
            try (HttpClient http = HttpClient.newHttpClient()) {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + javalin.port()
                                + "/v1/chat/completions")).header("Content-Type", "application/json")
                        .header(Caller.CONVERSATION_HEADER, "chat-1")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }
        }

        @Override
        public void close() {
            javalin.stop();
            upstream.close();
            app.close();
        }
    }

    private static String phones(int n) {
        StringBuilder text = new StringBuilder("call ");
        for (int i = 0; i < n; i++) {
            text.append("139").append(String.format("%08d", i)).append(", ");
        }
        return text.toString();
    }

    @Test
    void tooManyNewValuesInOneConversationRequestIs413AndNothingIsStoredOrForwarded() throws Exception {
        try (Served served = Served.start(dir)) {
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> refused = served.chat(phones(Vault.Limits.DEFAULT.newPerRequest() + 1), stream);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
                JsonNode error = JsonViews.mapper().readTree(refused.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("too_many_personal_values");
                assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
                assertThat(error.path("message").asText()).contains("smaller requests").doesNotContain("139");
            }
            assertThat(served.upstream().bodies()).as("nothing forwarded").isEmpty();
            served.upstream().reply("ok");
            HttpResponse<String> small = served.chat("call 13900000005", false);
            assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
            assertThat(served.upstream().bodies().getFirst().at("/messages/0/content").asText())
                    .as("nothing of the refused request was stored: numbering starts at 1").isEqualTo("call [PHONE_1]");
        }
    }

    @Test
    void aMissingVaultKeyIs503InOpenAisShapeNamingTheRemedy() throws Exception {
        try (Served served = Served.start(dir)) {
            served.app().vault(); // the vault made, with its key's check value in the database
        }
        Files.delete(dir.resolve("home/keys/vault.key"));
        try (Served served = Served.start(dir)) {
            assertThat(served.app().vaultKeyProblem()).hasValueSatisfying(p -> assertThat(p).contains("is missing"));
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> refused = served.chat("call 13900000005", stream);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                JsonNode error = JsonViews.mapper().readTree(refused.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("vault_unavailable");
                assertThat(error.path("type").asText()).isEqualTo("server_error");
                assertThat(error.path("message").asText()).contains("keys/vault.key", "restore");
            }
            assertThat(served.upstream().bodies()).isEmpty();
            assertThat(dir.resolve("home/keys/vault.key")).as("no new key is made").doesNotExist();
        }
    }
}
