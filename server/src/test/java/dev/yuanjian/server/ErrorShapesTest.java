package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.server.gateway.GatewayRoutes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors under /v1/ come in OpenAI's shape, every other error in the product's. */
class ErrorShapesTest {
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

    private static JsonNode openAiError(HttpResponse<byte[]> response, int status) throws Exception {
        assertThat(response.statusCode()).as(Http.text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        // Every endpoint the gateway serves, from the one list its routes are added from.
        assertThat(error.get("message").asText()).contains(GatewayRoutes.ENDPOINTS.toArray(String[]::new));
        assertThat(error.get("code").asText()).isEqualTo("unknown_url");
        return error;
    }

    @Test
    void anUnknownGatewayPathIsAnOpenAiErrorListingTheEndpoints() throws Exception {
        JsonNode error = openAiError(http.get("/v1/unknown"), 404);
        assertThat(error.get("message").asText()).contains("Invalid URL (GET /v1/unknown)");
    }

    @Test
    void aWrongMethodOnAGatewayPathIsAnOpenAiErrorListingTheEndpoints() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(http.uri("/v1/models"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
        JsonNode error = openAiError(response, 405);
        assertThat(error.get("message").asText()).contains("Invalid URL (POST /v1/models)");
    }

    @Test
    void productPathsKeepTheProductShape() throws Exception {
        HttpResponse<byte[]> response = http.get("/api/v1/unknown");
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("not_found");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type")).isFalse();
        assertThat(error.has("param")).isFalse();
    }

    @Test
    void headRequestsGetTheStatusWithoutABody() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(http.uri("/v1/unknown"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isIn(404, 405);
        assertThat(response.body()).isEmpty();
    }
}
