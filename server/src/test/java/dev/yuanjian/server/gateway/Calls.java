package dev.yuanjian.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain HTTP calls to the gateway, for what an SDK would hide (status lines, headers, raw bodies). */
final class Calls {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, HttpResponse<byte[]> response, JsonNode json, long millis) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String errorCode() {
            return json.path("error").path("code").asText();
        }

        String text() {
            return json.at("/choices/0/message/content").asText();
        }
    }

    private Calls() {
    }

    static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    }

    static Answer post(String base, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        long millis = (System.nanoTime() - start) / 1_000_000;
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (Exception e) {
            json = JSON.createObjectNode().put("raw", new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Answer(r.statusCode(), r, json, millis);
    }

    /**
     * A POST with {@code Expect: 100-continue}: the body is sent only once the server agrees, so a
     * refusal from the headers alone (413 from Content-Length) always reaches the client. Without
     * it the server's close can reset the connection while the client is still sending the body.
     */
    static Answer postExpectingContinue(String base, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r, JSON.readTree(r.body()), (System.nanoTime() - start) / 1_000_000);
    }

    /** A POST with exactly this {@code Content-Type} (null: none at all, as a bare HTTP client sends). */
    static Answer postAs(String base, String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (Exception e) {
            json = JSON.createObjectNode().put("raw", new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Answer(r.statusCode(), r, json, 0);
    }

    static Answer post(String base, String path, String body, String... headers) throws Exception {
        return post(base, path, body.getBytes(StandardCharsets.UTF_8), headers);
    }
}
