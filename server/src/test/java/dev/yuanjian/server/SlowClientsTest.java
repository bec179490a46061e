package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.server.Http.Multipart;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: "320 unauthenticated uploads to /api/v1/verify sending one byte every two seconds make
 * /healthz time out." Under exactly that load (and slow heads beside it), health and a small verify
 * still answer, and the server cuts every slow connection. The clients' generous timeouts only
 * detect starvation; nothing here measures time.
 */
class SlowClientsTest {
    private static final int SLOW_UPLOADS = 320;
    private static final int SLOW_HEADS = 40;
    /** Far beyond the limits below: a connection still open this long was never cut. */
    private static final int NEVER_CUT_MILLIS = 120_000;
    private static final Settings.ClientLimits LIMITS = new Settings.ClientLimits(Duration.ofSeconds(30),
            Duration.ofSeconds(6), 1024);

    @TempDir
    Path home;

    @Test
    void slowUploadsAndSlowHeadsStarveNobodyAndAreCut() throws Exception {
        Settings settings = Settings.defaults().withPort(0).withClientLimits(LIMITS);
        try (Http http = new Http(home, settings); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = http.server.port();
            String host = "Host: 127.0.0.1:" + port + "\r\n";
            CountDownLatch started = new CountDownLatch(SLOW_UPLOADS + SLOW_HEADS);
            List<Future<String>> uploads = new ArrayList<>();
            List<Future<String>> heads = new ArrayList<>();
            for (int i = 0; i < SLOW_UPLOADS; i++) {
                uploads.add(clients.submit(() -> trickle(port, "POST /api/v1/verify HTTP/1.1\r\n" + host
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
                        + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.md\"\r\n\r\n", started)));
            }
            for (int i = 0; i < SLOW_HEADS; i++) {
                heads.add(clients.submit(() -> trickle(port, "GET /healthz HTTP/1.1\r\n" + host + "X-Slow: ", started)));
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).as("every slow client connected").isTrue();

            // While every slow upload holds a request reading its body:
            assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
            var verified = http.post("/api/v1/verify", new Multipart().file("file", "small.md", "# Hello\n"));
            assertThat(verified.statusCode()).as(Http.text(verified)).isEqualTo(200);

            for (Future<String> upload : uploads) {
                assertThat(upload.get(NEVER_CUT_MILLIS + 10_000, TimeUnit.MILLISECONDS)).isIn("408", "closed");
            }
            for (Future<String> head : heads) {
                assertThat(head.get(NEVER_CUT_MILLIS + 10_000, TimeUnit.MILLISECONDS)).isEqualTo("closed");
            }
            assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    /** The same 408 wherever the body is read: the upload routes and the gateway (in OpenAI's shape, no internals). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "POST /api/v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: 5000\r\n\r\n--b\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000\r\n\r\n{"})
    void aTricklingBodyIsAnswered408InJson(String head) throws Exception {
        Settings settings = Settings.defaults().withPort(0).withClientLimits(new Settings.ClientLimits(
                Duration.ofSeconds(30), Duration.ofSeconds(1), 1024));
        try (Http http = new Http(home, settings); Socket socket = new Socket("127.0.0.1", http.server.port())) {
            socket.setSoTimeout(NEVER_CUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> dribble(out));
            try {
                RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.status()).as(answer.text()).isEqualTo(408);
                assertThat(answer.json().at("/error/code").asText()).isEqualTo("request_timeout");
                assertThat(answer.json().at("/error/message").asText()).contains("bytes per second")
                        .doesNotContain("dev.yuanjian").doesNotContain("Exception");
                assertThat(answer.headers().get("connection")).isEqualTo("close");
            } finally {
                writer.interrupt();
            }
        }
    }

    /**
     * Sends {@code head}, then one more byte every two seconds until the server answers or closes:
     * "408" (answered so), "closed", or "open" when the server did neither for {@link #NEVER_CUT_MILLIS}.
     */
    private static String trickle(int port, String head, CountDownLatch started) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(NEVER_CUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            started.countDown();
            Thread writer = Thread.ofVirtual().start(() -> dribble(out));
            try {
                return String.valueOf(RawHttp.read(socket.getInputStream()).status());
            } catch (SocketTimeoutException e) {
                return "open";
            } catch (IOException closedOrReset) {
                return "closed";
            } finally {
                writer.interrupt();
            }
        }
    }

    private static void dribble(OutputStream out) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                out.write('a');
                out.flush();
                Thread.sleep(2000);
            }
        } catch (IOException | InterruptedException stopped) {
            // the server closed, or the test is done
        }
    }
}
