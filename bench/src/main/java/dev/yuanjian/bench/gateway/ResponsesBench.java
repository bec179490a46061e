package dev.yuanjian.bench.gateway;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.server.gateway.GatewayRoutes;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code gateway-responses} command: what {@code /v1/responses} costs next to chat completions
 * through the same gateway, in one JVM and one run. Three ways to the same loopback model, one
 * request at a time, interleaved in rounds so they share the machine's load: chat completions (the
 * baseline), the Responses API translated to chat completions, and the Responses API passed through
 * to a backend that speaks it; each whole and streamed (time to the last event).
 *
 * <p>Usage: {@code java -jar bench/target/benchmarks.jar gateway-responses [requests=1000]}.
 */
public final class ResponsesBench {
    private static final String CHAT = "{\"model\":\"bench\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    private static final String RESPONSES = "{\"model\":\"%s\",%s\"input\":\"Say hello.\"}";

    private ResponsesBench() {
    }

    /** The {@code gateway-responses} command of {@code benchmarks.jar}. */
    public static int run(String[] args) throws Exception {
        int requests = 1000;
        for (String a : args) {
            if (a.startsWith("requests=")) {
                requests = Integer.parseInt(a.substring("requests=".length()));
            }
        }
        Path dir = Files.createTempDirectory("yuanjian-bench");
        Settings d = Settings.defaults();
        Settings settings = new Settings(d.producerCode(), d.logOrigin(), d.explicit(), "127.0.0.1", 0, d.maxUploadBytes(),
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", true);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (OpenAiLoopback upstream = new OpenAiLoopback().recordRequests(false);
             Yuanjian app = Yuanjian.open(new Home(dir), settings, ModelConfig.of(List.of(
                     new Backend("bench#0", "bench", Backend.Kind.OPENAI, upstream.baseUrl(), "", "loop", 1, 0,
                             Backend.Limits.NONE),
                     new Backend("native#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "", "loop", 1, 0,
                             Backend.Limits.NONE, null, null, Backend.Api.RESPONSES))), List.of(), Map.of())) {
            Javalin javalin = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = "127.0.0.1";
                c.jetty.port = 0;
                GatewayRoutes.install(c, app.gateway(), app.gatekeeper());
            }).start();
            try {
                String base = "http://127.0.0.1:" + javalin.port() + "/v1";
                Map<String, HttpRequest> ways = new LinkedHashMap<>();
                for (boolean stream : new boolean[] {false, true}) {
                    String flag = stream ? "\"stream\":true," : "";
                    String kind = stream ? "stream " : "whole  ";
                    ways.put(kind + "chat completions        ", post(base + "/chat/completions", CHAT.formatted(flag)));
                    ways.put(kind + "responses, translated   ", post(base + "/responses", RESPONSES.formatted("bench", flag)));
                    ways.put(kind + "responses, passed through", post(base + "/responses", RESPONSES.formatted("native", flag)));
                }
                System.out.printf("machine: %d cores, load average %.2f; JVM %s%n", Runtime.getRuntime().availableProcessors(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"));
                System.out.println("warm-up: 300 of each...");
                for (HttpRequest r : ways.values()) {
                    for (int i = 0; i < 300; i++) {
                        call(client, r);
                    }
                }
                Map<String, double[]> millis = new LinkedHashMap<>();
                ways.keySet().forEach(k -> millis.put(k, new double[0]));
                int rounds = Math.max(1, requests / 100);
                for (int round = 0; round < rounds; round++) {
                    for (Map.Entry<String, HttpRequest> way : ways.entrySet()) {
                        double[] got = new double[100];
                        for (int i = 0; i < got.length; i++) {
                            got[i] = call(client, way.getValue());
                        }
                        double[] all = millis.get(way.getKey());
                        double[] joined = Arrays.copyOf(all, all.length + got.length);
                        System.arraycopy(got, 0, joined, all.length, got.length);
                        millis.put(way.getKey(), joined);
                    }
                }
                System.out.printf("%n== one request at a time, %d each, interleaved in rounds of 100 (whole answer; "
                        + "stream: to its last event)%n", rounds * 100);
                for (Map.Entry<String, double[]> m : millis.entrySet()) {
                    double[] v = m.getValue();
                    Arrays.sort(v);
                    System.out.printf("%s  p50 %.3f ms  p99 %.3f ms%n", m.getKey(), pct(v, 50), pct(v, 99));
                }
                System.out.printf("load average at the end %.2f%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                return 0;
            } finally {
                javalin.stop();
            }
        }
    }

    private static HttpRequest post(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** One call read to its end, in milliseconds; a failure stops the benchmark. */
    private static double call(HttpClient client, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (r.statusCode() != 200 || !(r.body().contains("\"aigc\""))) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return ms;
    }

    private static double pct(double[] sorted, double percentile) {
        return GatewayBench.pct(sorted, percentile);
    }
}
