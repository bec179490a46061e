package dev.yuanjian.bench.gateway;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.server.gateway.GatewayRoutes;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code gateway-endpoints} command: what the gateway adds to the endpoints besides chat, each
 * called directly on the loopback upstream and through the gateway, one call at a time, in one JVM
 * and one run: embeddings (relayed, nothing logged), speech (4 KB of audio relayed and its bytes
 * logged: one durable log append), a transcription upload of 1 MB (read whole, the multipart form
 * rewritten with the backend's model), and chat for comparison.
 *
 * <p>Usage: {@code java -Xmx512m -jar bench/target/benchmarks.jar gateway-endpoints [calls=1000]}.
 */
public final class EndpointsBench {
    private static final String BOUNDARY = "yjbenchboundary";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private record Call(String name, String path, byte[] body, String type) {
    }

    /** The {@code gateway-endpoints} command of {@code benchmarks.jar}. */
    public static int run(String[] args) throws Exception {
        int calls = 1000;
        for (String a : args) {
            if (a.startsWith("calls=")) {
                calls = Integer.parseInt(a.substring(6));
            }
        }
        return new EndpointsBench().run(calls) ? 0 : 1;
    }

    private boolean run(int calls) throws Exception {
        Path dir = Files.createTempDirectory("yuanjian-bench");
        Settings d = Settings.defaults();
        Settings settings = new Settings(d.producerCode(), d.logOrigin(), d.explicit(), "127.0.0.1", 0, d.maxUploadBytes(),
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", true);
        byte[] audio = new byte[1 << 20];
        new Random(1).nextBytes(audio);
        List<Call> list = List.of(
                new Call("chat", "/chat/completions", json("{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"),
                        "application/json"),
                new Call("embeddings", "/embeddings", json("{\"model\":\"bench\",\"input\":\"the quick brown fox\"}"),
                        "application/json"),
                new Call("speech", "/audio/speech", json("{\"model\":\"bench\",\"input\":\"Hello there.\",\"voice\":\"alloy\"}"),
                        "application/json"),
                new Call("transcription 1 MB", "/audio/transcriptions", form(audio),
                        "multipart/form-data; boundary=" + BOUNDARY));
        try (OpenAiLoopback upstream = new OpenAiLoopback().recordRequests(false);
             Yuanjian app = Yuanjian.open(new Home(dir), settings, ModelConfig.of(List.of(new Backend("bench#0", "bench",
                     Backend.Kind.OPENAI, upstream.baseUrl(), "", "bench", 1, 0, Backend.Limits.NONE))), List.of(), Map.of())) {
            Gateway gateway = app.gateway();
            Javalin javalin = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = "127.0.0.1";
                c.jetty.port = 0;
                GatewayRoutes.install(c, gateway, app.gatekeeper());
            }).start();
            try {
                String through = "http://127.0.0.1:" + javalin.port() + "/v1";
                System.out.printf("machine: %d cores, load average %.2f; JVM %s, max heap %d MB%n",
                        Runtime.getRuntime().availableProcessors(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
                System.out.printf("one call at a time, %d per endpoint and path after %d of warm-up; milliseconds%n",
                        calls, calls / 5);
                System.out.printf("%-20s %10s %10s %10s %10s %12s %12s%n", "endpoint", "direct p50", "p99",
                        "gateway p50", "p99", "added p50", "added p99");
                boolean ok = true;
                for (Call c : list) {
                    time(upstream.baseUrl() + c.path(), c, calls / 5);
                    time(through + c.path(), c, calls / 5);
                    double[] direct = time(upstream.baseUrl() + c.path(), c, calls);
                    double[] gw = time(through + c.path(), c, calls);
                    ok &= direct.length == calls && gw.length == calls;
                    System.out.printf("%-20s %10.3f %10.3f %10.3f %10.3f %12.3f %12.3f%n", c.name(),
                            GatewayBench.pct(direct, 50), GatewayBench.pct(direct, 99), GatewayBench.pct(gw, 50),
                            GatewayBench.pct(gw, 99), GatewayBench.pct(gw, 50) - GatewayBench.pct(direct, 50),
                            GatewayBench.pct(gw, 99) - GatewayBench.pct(direct, 99));
                }
                System.out.printf("log entries written: %d (chat and speech only)%n", app.log().size());
                return ok;
            } finally {
                javalin.stop();
            }
        }
    }

    /** Sorted latencies of the calls that answered 200; a failure is printed and left out (and fails the run). */
    private double[] time(String url, Call call, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", call.type())
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(call.body())).build();
        double[] millis = new double[n];
        int ok = 0;
        boolean reported = false;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            if (r.statusCode() == 200) {
                millis[ok++] = took / 1e6;
            } else if (!reported) {
                reported = true;
                System.out.printf("%s: %d %s%n", url, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        double[] done = Arrays.copyOf(millis, ok);
        Arrays.sort(done);
        return done;
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] form(byte[] audio) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nbench\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(audio);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
