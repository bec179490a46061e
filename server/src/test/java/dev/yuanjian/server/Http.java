package dev.yuanjian.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.store.Home;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Test fixture: a real server on a free port over a fresh data directory, and a small HTTP client. */
final class Http implements AutoCloseable {
    final Yuanjian app;
    final Server server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(Path home, long maxUploadBytes) throws IOException {
        this(home, maxUploadBytes, true);
    }

    Http(Path home, long maxUploadBytes, boolean publicVerify) throws IOException {
        this(home, new Settings(Settings.PLACEHOLDER_PRODUCER, Settings.DEFAULT_ORIGIN, ExplicitLabel.DEFAULT,
                "127.0.0.1", 0, maxUploadBytes, "", publicVerify));
    }

    Http(Path home, Settings settings) throws IOException {
        this(home, settings, Map.of());
    }

    /** With {@code env} as the process environment ({@code YUANJIAN_*} variables). */
    Http(Path home, Settings settings, Map<String, String> env) throws IOException {
        this(Yuanjian.open(new Home(home), settings, env));
    }

    /** Serving {@code app}, which it closes with the server. */
    Http(Yuanjian app) {
        this.app = app;
        server = Server.start(app);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, Multipart form, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JsonViews.mapper().readTree(response.body());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            app.close();
        }
    }

    /** A multipart/form-data body built by hand, so tests control every byte (names included). */
    static final class Multipart {
        private final String boundary = "----yuanjian" + UUID.randomUUID().toString().replace("-", "");
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart file(String part, String fileName, byte[] content) {
            head("Content-Disposition: form-data; name=\"" + part + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n");
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Multipart file(String part, String fileName, String content) {
            return file(part, fileName, content.getBytes(StandardCharsets.UTF_8));
        }

        Multipart field(String part, String value) {
            head("Content-Disposition: form-data; name=\"" + part + "\"\r\n");
            body.writeBytes((value + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        private void head(String headers) {
            body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(body.toByteArray());
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
    }
}
