package dev.yuanjian.bench.gateway;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.server.gateway.GatewayRoutes;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The {@code gateway-inprocess} command: direct to the loopback upstream versus through the gateway,
 * in one JVM and one run (the deployed shape, each server in its own process, is
 * {@link GatewayCostBench}). Phases:
 *
 * <ol>
 *   <li>non-streaming chat at a fixed rate (open loop: latency is measured from each request's
 *       scheduled start, so a stall is not hidden by fewer requests being sent);</li>
 *   <li>time to first token of streams, one at a time;</li>
 *   <li>a thousand streams open at once through the gateway: every one must finish without error;</li>
 *   <li>peak heap of the whole process (client, loopback and gateway together).</li>
 * </ol>
 *
 * <p>Usage: {@code java -Xmx512m -jar bench/target/benchmarks.jar gateway-inprocess [rate=500] [seconds=10] [streams=1000]}.
 */
public final class GatewayBench {
    private static final String BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    private static final String STREAM_BODY = BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");

    /** Replaced per phase: a phase must not reuse connections the server may have closed as idle. */
    private HttpClient client = newClient();

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private void freshClient() {
        client.close();
        client = newClient();
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** The {@code gateway} command of {@code benchmarks.jar}. */
    public static int run(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int rate = Integer.parseInt(opts.getOrDefault("rate", "500"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int streams = Integer.parseInt(opts.getOrDefault("streams", "1000"));
        return new GatewayBench().run(rate, seconds, streams) ? 0 : 1;
    }

    /** True when every request and stream succeeded. */
    private boolean run(int rate, int seconds, int streams) throws Exception {
        Path dir = Files.createTempDirectory("yuanjian-bench");
        Settings d = Settings.defaults();
        Settings settings = new Settings(d.producerCode(), d.logOrigin(), d.explicit(), "127.0.0.1", 0, d.maxUploadBytes(),
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", true);
        try (OpenAiLoopback upstream = new OpenAiLoopback().recordRequests(false);
             Yuanjian app = Yuanjian.open(new Home(dir), settings, ModelConfig.of(List.of(new Backend("bench#0", "bench",
                     Backend.Kind.OPENAI, upstream.baseUrl(), "", "loop", 1, 0, Backend.Limits.NONE))), List.of(), Map.of())) {
            Gateway gateway = app.gateway();
            Gatekeeper keys = app.gatekeeper();
            Javalin javalin = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = "127.0.0.1";
                c.jetty.port = 0;
                GatewayRoutes.install(c, gateway, keys);
            }).start();
            URI through = URI.create("http://127.0.0.1:" + javalin.port() + "/v1/chat/completions");
            try {
                URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
                System.out.printf("machine: %d cores, load average %.2f; JVM %s, max heap %d MB%n",
                        Runtime.getRuntime().availableProcessors(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
                System.out.println("gateway: in this JVM, sharing its heap and GC with the load generator and the loopback "
                        + "(the deployed shape, each in its own process, is the `gateway` command)");

                System.out.println("warm-up...");
                int warmErrors = fixedRate(direct, rate, 3).errors() + fixedRate(through, rate, 3).errors();
                if (warmErrors > 0) {
                    System.out.printf("warm-up: %d errors (not counted)%n", warmErrors);
                }
                resetPeaks();

                System.out.printf("%n== non-streaming, one request at a time, 2000 each (no queueing: the cost of one call)%n");
                freshClient();
                double[] seqDirect = sequential(direct, 2000);
                double[] seqThrough = sequential(through, 2000);
                System.out.printf("direct   p50 %.3f ms  p99 %.3f ms%n", pct(seqDirect, 50), pct(seqDirect, 99));
                System.out.printf("gateway  p50 %.3f ms  p99 %.3f ms%n", pct(seqThrough, 50), pct(seqThrough, 99));
                System.out.printf("added latency: p50 %.3f ms, p99 %.3f ms%n", pct(seqThrough, 50) - pct(seqDirect, 50),
                        pct(seqThrough, 99) - pct(seqDirect, 99));

                double[] pipeline = labelOnly(app, 2000);
                System.out.printf("of which the labelling pipeline alone (label + seal + durable log append, no HTTP): "
                        + "p50 %.3f ms  p99 %.3f ms%n", pct(pipeline, 50), pct(pipeline, 99));

                System.out.printf("%n== non-streaming, %d requests/s for %d s each (open loop)%n", rate, seconds);
                freshClient();
                Result a = fixedRate(direct, rate, seconds);
                GcStats gcDuring = GcStats.ofThisJvm();
                Result b = fixedRate(through, rate, seconds);
                GcStats gcAfterRate = GcStats.ofThisJvm();
                table("direct", a);
                table("gateway", b);
                gcDuring.between(gcAfterRate, "this (shared) JVM", seconds);
                System.out.printf("added latency: p50 %.2f ms, p99 %.2f ms%n", b.p(50) - a.p(50), b.p(99) - a.p(99));

                System.out.printf("%n== time to first token, 200 streams one after another%n");
                freshClient();
                double[] ttftDirect = ttft(direct, 200);
                double[] ttftThrough = ttft(through, 200);
                System.out.printf("direct   p50 %.2f ms  p99 %.2f ms%n", pct(ttftDirect, 50), pct(ttftDirect, 99));
                System.out.printf("gateway  p50 %.2f ms  p99 %.2f ms%n", pct(ttftThrough, 50), pct(ttftThrough, 99));
                System.out.printf("added time to first token: p50 %.2f ms, p99 %.2f ms%n",
                        pct(ttftThrough, 50) - pct(ttftDirect, 50), pct(ttftThrough, 99) - pct(ttftDirect, 99));

                System.out.printf("%n== %d concurrent streams through the gateway, opened over 1 s (each %d chunks, 250 ms apart)%n",
                        streams, upstream.pieces().size());
                upstream.tokenDelay(250);
                freshClient();
                int streamFailures = concurrentStreams(through, streams);
                upstream.tokenDelay(0);

                System.out.printf("%nheap: peak used %d MB (whole process: load generator, loopback and gateway)%n",
                        peakHeap() >> 20);
                return a.errors() == 0 && b.errors() == 0 && streamFailures == 0;
            } finally {
                javalin.stop();
            }
        }
    }

    record Result(double[] millis, int errors, double achievedRate) {
        double p(double percentile) {
            return pct(millis, percentile);
        }
    }

    private static void table(String name, Result r) {
        System.out.printf("%-8s n=%d errors=%d rate=%.0f/s  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n", name,
                r.millis().length, r.errors(), r.achievedRate(), r.p(50), r.p(90), r.p(99), r.p(100));
    }

    private Result fixedRate(URI uri, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        AtomicLongArray nanos = new AtomicLongArray(total);
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 20_000_000L;
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                int n = i;
                senders.execute(() -> {
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    nanos.set(n, System.nanoTime() - scheduled);
                    done.countDown();
                });
            }
            done.await();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] millis = new double[total];
        for (int i = 0; i < total; i++) {
            millis[i] = nanos.get(i) / 1e6;
        }
        Arrays.sort(millis);
        return new Result(millis, errors.get(), total / elapsed);
    }

    /** Milliseconds per {@code Pipeline.label} of a completion-sized text, one at a time, sorted. */
    private static double[] labelOnly(Yuanjian app, int count) throws Exception {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            byte[] text = ("Hello from the loopback model. It answers every question the same way. " + i)
                    .getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            app.pipeline().label(new dev.yuanjian.pipeline.Pipeline.Request(dev.yuanjian.container.Asset.of("completion.txt", text),
                    java.util.Set.of(dev.yuanjian.label.ExplicitLabelMark.NAME), "bench", java.util.Optional.of("[{\"role\":\"user\"}]")));
            out[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(out);
        return out;
    }

    /** Milliseconds per call, one call at a time, sorted. */
    private double[] sequential(URI uri, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            out[i] = (System.nanoTime() - start) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("status " + r.statusCode() + " from " + uri);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Milliseconds from sending to the first content delta, per stream. */
    private double[] ttft(URI uri, int count) throws Exception {
        double[] out = new double[count];
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                boolean first = true;
                while ((line = lines.readLine()) != null) {
                    if (first && line.startsWith("data: ") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                        out[i] = (System.nanoTime() - start) / 1e6;
                        first = false;
                    }
                }
            }
        }
        Arrays.sort(out);
        return out;
    }

    private int concurrentStreams(URI uri, int count) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                // Opened over about a second, as clients arrive: a thousand connects in the same
                // millisecond would only measure the listen backlog (Jetty's default: the JDK's 50).
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L / count);
                clients.execute(() -> {
                    try {
                        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        String body;
                        try (InputStream in = r.body()) {
                            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        } finally {
                            open.decrementAndGet();
                        }
                        if (r.statusCode() == 200 && body.contains("\"aigc\"") && body.endsWith("data: [DONE]\n\n")) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            if (firstErrors.size() < 3) {
                                firstErrors.add(r.statusCode() + " " + body.substring(Math.max(0, body.length() - 200)));
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        if (firstErrors.size() < 3) {
                            firstErrors.add(e.toString());
                        }
                    }
                });
            }
        }
        System.out.printf("completed %d, failed %d, at most %d open at once, %.1f s%n", ok.get(), failed.get(),
                maxOpen.get(), (System.nanoTime() - start) / 1e9);
        firstErrors.forEach(e -> System.out.println("  error: " + e));
        return failed.get();
    }

    /** Collections so far in this JVM and the time they took, from the MXBeans. */
    record GcStats(int collections, long totalMs) {
        static GcStats ofThisJvm() {
            int count = 0;
            long millis = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc.getCollectionCount() > 0) {
                    count += (int) gc.getCollectionCount();
                    millis += gc.getCollectionTime();
                }
            }
            return new GcStats(count, millis);
        }

        /** Prints what happened between {@code this} and {@code later}. */
        void between(GcStats later, String where, int seconds) {
            System.out.printf("GC in %s during the %d s through the gateway: %d collections, %d ms in total%n", where, seconds,
                    later.collections() - collections(), later.totalMs() - totalMs());
        }
    }

    static double pct(double[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

}
