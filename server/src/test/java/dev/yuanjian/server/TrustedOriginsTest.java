package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.store.Home;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page must not borrow the trust this server gives local callers: a foreign Host (DNS
 * rebinding) is refused on every path, a cross-site Origin on every request that changes state.
 * Requests are written on a raw socket so that Host and Origin are exactly what a browser sends.
 */
class TrustedOriginsTest {
    @TempDir
    static Path home;
    static Yuanjian app;
    static Server server;

    @BeforeAll
    static void start() throws Exception {
        Settings settings = new Settings(Settings.PLACEHOLDER_PRODUCER, Settings.DEFAULT_ORIGIN, ExplicitLabel.DEFAULT,
                "127.0.0.1", 0, 1 << 20, "", true, List.of("yuanjian.example.com"));
        app = Yuanjian.open(new Home(home), settings, Map.of());
        server = Server.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
        app.close();
    }

    /** The status line and body of one request with exactly these headers. */
    private static String send(String method, String path, String body, String... headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (!method.equals("GET")) {
                request.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String label(String... headers) throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n# x\n\r\n--" + boundary + "--\r\n";
        String[] all = new String[headers.length + 1];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Type: multipart/form-data; boundary=" + boundary;
        return send("POST", "/api/v1/label", body, all);
    }

    @Test
    void aForeignHostIsRefusedOnEveryPath() throws Exception {
        for (String path : List.of("/healthz", "/", "/api/v1/log/checkpoint", "/v1/models")) {
            String answer = send("GET", path, "", "Host: rebind.attacker.example");
            assertThat(answer).as(path).startsWith("HTTP/1.1 403").contains("untrusted_host");
        }
        assertThat(label("Host: rebind.attacker.example")).startsWith("HTTP/1.1 403");
        assertThat(send("GET", "/v1/models", "", "Host: rebind.attacker.example"))
                .contains("\"type\":\"permission_error\"");
    }

    @Test
    void thisMachinesNamesAndConfiguredNamesAreServed() throws Exception {
        int port = server.port();
        for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "app.localhost",
                "yuanjian.example.com", "YUANJIAN.example.com:443")) {
            assertThat(send("GET", "/healthz", "", "Host: " + host)).as(host).startsWith("HTTP/1.1 200");
        }
        assertThat(send("GET", "/healthz", "")).as("no Host at all").startsWith("HTTP/1.1 400").contains("bad_request");
        // HTTP/1.0 may omit Host; without one there is nothing to check, so it is a bad request, not a 403.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("bad_request").contains("no Host header");
        }
    }

    @Test
    void crossSiteRequestsThatChangeStateAreRefused() throws Exception {
        String host = "Host: localhost:" + server.port();
        assertThat(label(host, "Origin: https://evil.example")).startsWith("HTTP/1.1 403").contains("cross_origin");
        assertThat(label(host, "Origin: null")).startsWith("HTTP/1.1 403");
        assertThat(label(host, "Sec-Fetch-Site: cross-site")).startsWith("HTTP/1.1 403");
        assertThat(send("POST", "/v1/chat/completions", "{}", host, "Origin: https://evil.example",
                "Content-Type: application/json")).startsWith("HTTP/1.1 403").contains("\"type\":\"permission_error\"");
        // Same site but another origin: any other web app or dev server on this machine.
        int otherPort = server.port() == 9999 ? 9998 : 9999;
        assertThat(label(host, "Origin: http://localhost:" + otherPort)).startsWith("HTTP/1.1 403")
                .contains("Origin http://localhost:" + otherPort);
        assertThat(label(host, "Origin: http://127.0.0.1:" + server.port())).as("another name is another origin")
                .startsWith("HTTP/1.1 403");
        assertThat(label(host, "Sec-Fetch-Site: same-site")).startsWith("HTTP/1.1 403")
                .contains("Sec-Fetch-Site same-site");
        assertThat(label(host, "Origin: http://localhost:" + server.port() + "/page")).as("not an origin")
                .startsWith("HTTP/1.1 403");
        // The server's own page (http, or https through a TLS proxy) and programs without an Origin go through.
        assertThat(label(host, "Origin: http://localhost:" + server.port(), "Sec-Fetch-Site: same-origin"))
                .startsWith("HTTP/1.1 201");
        assertThat(label(host, "Origin: https://LOCALHOST:" + server.port())).startsWith("HTTP/1.1 201");
        assertThat(label(host, "Sec-Fetch-Site: none")).startsWith("HTTP/1.1 201");
        assertThat(label(host)).startsWith("HTTP/1.1 201");
        // The gateway takes JSON sent as form data (curl -d): a page's cross-origin form post, which
        // needs no preflight, must still be refused, in each simple-request type a form can send.
        String chat = "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            assertThat(send("POST", "/v1/chat/completions", chat, host, "Origin: https://evil.example",
                    "Content-Type: " + type)).as(type).startsWith("HTTP/1.1 403").contains("cross_origin");
            assertThat(send("POST", "/v1/chat/completions", chat, host, "Sec-Fetch-Site: cross-site",
                    "Content-Type: " + type)).as(type).startsWith("HTTP/1.1 403");
        }
        // The same form-typed JSON from a program (no Origin) reaches the gateway, which has no model here.
        assertThat(send("POST", "/v1/chat/completions", chat, host, "Content-Type: application/x-www-form-urlencoded"))
                .startsWith("HTTP/1.1 503").contains("no_backend");
        // Reading is not changing state: a page may still fetch the public log.
        assertThat(send("GET", "/api/v1/log/checkpoint", "", host, "Origin: https://evil.example"))
                .startsWith("HTTP/1.1 200");
    }
}
