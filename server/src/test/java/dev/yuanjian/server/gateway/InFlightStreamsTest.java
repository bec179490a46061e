package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.testing.OpenAiLoopback.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream whose client leaves, or whose server stops, while the upstream is still answering: the
 * call ends, its upstream request is released, its partial text is logged, and the log stays a few
 * lines long. (Reported: a call that outlived its stopped server wrote into a recycled response and
 * Javalin logged about 5 million lines.) The upstream pauses mid-stream on a latch, so every step
 * happens in a known order, with no timing involved.
 */
class InFlightStreamsTest {
    /** Far beyond any test: only the client, the server stop or the latch can end a paused stream. */
    private static final ModelConfig.Timeouts PATIENT = new ModelConfig.Timeouts(Duration.ofSeconds(5),
            Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10));
    /**
     * Hundreds of events after the pause: a write to a closed connection may still succeed once (TCP
     * learns of the close from that write), never hundreds of times.
     */
    private static final String LONG_REPLY = "word ".repeat(500).strip();
    /** Lines a handful of events may log (Javalin and Jetty stopping, one line for the stream): far below a loop. */
    private static final long FEW_LINES = 40;

    @TempDir
    Path dir;
    GatewayFixture f;
    final CountDownLatch resume = new CountDownLatch(1);

    @AfterEach
    void stop() {
        resume.countDown();
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aServerStoppedMidStreamEndsTheCallBeforeStopReturnsAndLogsOnlyAFewLines() throws Exception {
        f = new GatewayFixture(dir, c -> c.withTimeouts(PATIENT));
        f.upstream.reply(LONG_REPLY).fault(new Fault.Pause(1, resume));
        long logged = f.app.log().size();
        try (ErrLines lines = new ErrLines(); Socket client = openStream(f)) {
            readUntil(client.getInputStream(), "\"word\"");

            f.javalin.stop();

            assertThat(f.app.log().size()).as("the call ended, and logged its partial text, before stop returned")
                    .isEqualTo(logged + 1);
            resume.countDown(); // the upstream goes on: no call is left to relay it anywhere
            await(() -> f.upstream.inFlight() == 0);
            assertThat(f.app.log().size()).isEqualTo(logged + 1);
            assertThat(lines.count()).isLessThan(FEW_LINES);
        }
    }

    @Test
    void aClientThatLeavesMidStreamEndsTheCallAtTheNextEventWithAtMostOneLineLogged() throws Exception {
        f = new GatewayFixture(dir, c -> c.withTimeouts(PATIENT));
        // Paced: without a delay the loopback writes all 500 events into the socket's buffer before
        // the gateway closes the upstream connection, and then nothing is left for the cancel to cut.
        f.upstream.reply(LONG_REPLY).tokenDelay(5).fault(new Fault.Pause(1, resume));
        long logged = f.app.log().size();
        try (ErrLines lines = new ErrLines()) {
            try (Socket client = openStream(f)) {
                readUntil(client.getInputStream(), "\"word\"");
            }
            resume.countDown(); // the next event finds the client gone

            await(() -> f.upstream.inFlight() == 0);
            assertThat(f.upstream.cancelledStreams()).as("the upstream request was cancelled").isEqualTo(1);
            await(() -> f.app.log().size() == logged + 1); // the partial text, logged after the upstream was released
            assertThat(lines.count()).as("one line at most for a client that left").isLessThanOrEqualTo(1);
        }
        // The gateway still serves.
        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(200);
    }

    /** A raw socket, so that "the client left" means exactly that: its TCP connection closes. */
    private static Socket openStream(GatewayFixture f) throws IOException {
        byte[] body = Calls.chat("solo").replace("{\"model\"", "{\"stream\":true,\"model\"").getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", f.javalin.port());
        socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        return socket;
    }

    private static void readUntil(InputStream in, String text) throws IOException {
        String received = "";
        byte[] buffer = new byte[4096];
        while (!received.contains(text)) {
            int n = in.read(buffer);
            assertThat(n).as("the stream ended before " + text).isPositive();
            received += new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** Waits for something that must happen; the bound only keeps a broken build from hanging. */
    private static void await(BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }
}
