package dev.yuanjian.bench.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway costs as users deploy it: every server in its own process, this process only
 * generating load and reading {@code /proc}.
 *
 * <ul>
 *   <li>the upstream: the tests' loopback model ({@code OpenAiLoopback}) in its own JVM
 *       ({@code benchmarks.jar upstream});</li>
 *   <li>each Yuanjian target: {@code java <flags> -jar <yuanjian.jar> serve} with a fresh data
 *       directory and the upstream as its one model; two builds or two flag sets can run side by
 *       side ({@code yj.NAME=JAR}, {@code yjopts.NAME=FLAGS});</li>
 *   <li>Portkey's open-source gateway (npm {@code @portkey-ai/gateway}, installed by
 *       {@code bench/portkey/install}) under node, told the upstream per request with
 *       {@code x-portkey-provider: openai} and {@code x-portkey-custom-host};</li>
 *   <li>direct: the upstream itself, the baseline every "added" figure is taken against.</li>
 * </ul>
 *
 * <p>Load is open loop: request i is due at {@code start + i/rate} and its latency counts from then,
 * so a stalled server is charged for the queue it causes. Rounds of {@code seconds} are interleaved
 * across targets (the order rotates each round) after a warm-up of every target. Per round and
 * target: latency percentiles (ms), errors and timeouts, CPU of the target's process per request
 * (utime + stime from {@code /proc/PID/stat}, ms), and its peak resident memory in that round
 * ({@code VmHWM}, reset through {@code /proc/PID/clear_refs} before the round, MB).
 *
 * <p>Usage: {@code java -jar bench/target/benchmarks.jar gateway [rates=200,500] [seconds=30] [rounds=2]
 * [warmup=20] [timeout=10] [yj.NAME=JAR ...] [yjopts.NAME="FLAGS"] [portkey=bench/portkey|off]}.
 * Linux only ({@code /proc}).
 */
public final class GatewayCostBench {
    private static final String BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

    /** The launcher's flags (the {@code yuanjian} script) before any heap setting of its own. */
    static final String LAUNCHER_FLAGS = "--enable-native-access=ALL-UNNAMED -XX:+UseG1GC -Xss1m --sun-misc-unsafe-memory-access=allow";

    private GatewayCostBench() {
    }

    /** The {@code gateway} command of {@code benchmarks.jar}. */
    public static int run(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int[] rates = Arrays.stream(opts.getOrDefault("rates", "200,500").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "20"));
        Duration timeout = Duration.ofSeconds(Integer.parseInt(opts.getOrDefault("timeout", "10")));
        Map<String, Path> jars = new LinkedHashMap<>();
        opts.forEach((k, v) -> {
            if (k.startsWith("yj.")) {
                jars.put(k.substring(3), Path.of(v).toAbsolutePath());
            }
        });
        if (jars.isEmpty()) {
            jars.put("yuanjian", Path.of("cli/target/yuanjian.jar").toAbsolutePath());
        }
        for (Path jar : jars.values()) {
            if (!Files.isRegularFile(jar)) {
                System.err.println(jar + " not found: build it (./mvnw -q -pl cli -am package -DskipTests) or pass yj.NAME=JAR");
                return 2;
            }
        }
        String portkeyDir = opts.getOrDefault("portkey", "bench/portkey");
        Path portkeyMain = Path.of(portkeyDir, "node_modules/@portkey-ai/gateway/build/start-server.js").toAbsolutePath();
        if (!portkeyDir.equals("off") && !Files.isRegularFile(portkeyMain)) {
            System.err.println(portkeyMain + " not found: run bench/portkey/install (npm), or pass portkey=off");
            return 2;
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            System.err.println("this benchmark reads CPU time and memory from /proc: run it on Linux");
            return 2;
        }

        // Idle connections are closed by this side first (servers keep theirs 30 s or more), so a
        // request never goes out on a connection the server is closing.
        System.setProperty("jdk.httpclient.keepalive.timeout", "5");
        Path work = Files.createTempDirectory("yuanjian-gateway-cost");
        List<Target> targets = new ArrayList<>();
        try (Child upstream = Child.upstream(work)) {
            URI upstreamBase = upstream.base();
            targets.add(new Target("direct", upstream, upstreamBase.resolve("/v1/chat/completions"), Map.of()));
            for (var e : jars.entrySet()) {
                String flags = opts.getOrDefault("yjopts." + e.getKey(), LAUNCHER_FLAGS);
                Child gateway = Child.yuanjian(work.resolve(e.getKey()), e.getValue(), flags, upstreamBase);
                targets.add(new Target(e.getKey(), gateway, gateway.base().resolve("/v1/chat/completions"), Map.of()));
            }
            if (!portkeyDir.equals("off")) {
                Child portkey = Child.portkey(work.resolve("portkey"), portkeyMain);
                targets.add(new Target("portkey", portkey, portkey.base().resolve("/v1/chat/completions"),
                        Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstreamBase.toString(),
                                "Authorization", "Bearer unused")));
            }
            try {
                return measure(targets, upstream, rates, seconds, rounds, warmup, timeout);
            } finally {
                for (Target t : targets) {
                    if (t.process() != upstream) {
                        t.process().close();
                    }
                }
            }
        }
    }

    private static int measure(List<Target> targets, Child upstream, int[] rates, int seconds, int rounds, int warmup,
            Duration timeout) throws Exception {
        System.out.printf("date: %s; %d cores; load average %s; Java %s (load generator)%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));
        for (Target t : targets) {
            System.out.printf("%-10s pid %d: %s%n", t.name(), t.process().pid(), t.process().command());
        }
        System.out.printf("open loop, %s req/s, %d s rounds x %d, interleaved; warm-up %d s per target; timeout %d s%n",
                Arrays.toString(rates), seconds, rounds, warmup, timeout.toSeconds());

        int warmRate = Arrays.stream(rates).min().orElseThrow();
        for (Target t : targets) {
            // Ramped, up to the lowest rate: a cold (interpreted) JVM cannot keep up with the full
            // rate at once, and a warm-up that overloads one target would delay the next one's.
            int errors = 0;
            int timeouts = 0;
            for (int rate : new int[] {Math.max(1, warmRate / 4), Math.max(1, warmRate / 2), warmRate}) {
                Round w = round(t, rate, Math.max(1, warmup / 3), timeout, upstream);
                errors += w.errors();
                timeouts += w.timeouts();
            }
            System.out.printf("warm-up %-10s errors %d, timeouts %d%n", t.name(), errors, timeouts);
            pause();
        }

        Map<String, List<Round>> all = new LinkedHashMap<>();
        for (int rate : rates) {
            for (int r = 0; r < rounds; r++) {
                System.out.printf("%n== %d req/s, round %d of %d (load average %s)%n", rate, r + 1, rounds, loadAverage());
                for (int i = 0; i < targets.size(); i++) {
                    Target t = targets.get((i + r) % targets.size());
                    Round result = round(t, rate, seconds, timeout, upstream);
                    all.computeIfAbsent(rate + "/" + t.name(), k -> new ArrayList<>()).add(result);
                    System.out.println(result.line());
                    pause();
                }
            }
        }

        System.out.printf("%n== summary (rounds pooled; added = target minus direct at the same percentile; "
                + "CPU and RSS of the target's own process)%nload average at the end %s%n", loadAverage());
        System.out.println("| req/s | target | requests | errors | timeouts | p50 ms | p90 ms | p99 ms | p99.9 ms | added p50 | added p99 "
                + "| CPU ms/req | peak RSS MB |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int rate : rates) {
            double[] direct = pooled(all.get(rate + "/direct"));
            for (Target t : targets) {
                List<Round> rs = all.get(rate + "/" + t.name());
                double[] ms = pooled(rs);
                int errors = rs.stream().mapToInt(Round::errors).sum();
                int timeouts = rs.stream().mapToInt(Round::timeouts).sum();
                double cpu = rs.stream().mapToDouble(Round::cpuMsPerRequest).sum() / rs.size();
                long rss = rs.stream().mapToLong(Round::peakRssMb).max().orElse(0);
                String added = t.name().equals("direct") ? "| | " : String.format("| %.2f | %.2f ", pct(ms, 50) - pct(direct, 50),
                        pct(ms, 99) - pct(direct, 99));
                System.out.printf("| %d | %s | %d | %d | %d | %.2f | %.2f | %.2f | %.2f %s| %.3f | %d |%n", rate, t.name(), ms.length,
                        errors, timeouts, pct(ms, 50), pct(ms, 90), pct(ms, 99), pct(ms, 99.9), added, cpu, rss);
            }
        }
        return 0;
    }

    /** Lets the machine settle and the last round's stragglers finish before the next target. */
    private static void pause() throws InterruptedException {
        Thread.sleep(2000);
    }

    private static double[] pooled(List<Round> rounds) {
        double[] all = rounds.stream().flatMapToDouble(r -> Arrays.stream(r.millis())).toArray();
        Arrays.sort(all);
        return all;
    }

    record Target(String name, Child process, URI uri, Map<String, String> headers) {
    }

    /**
     * One round's figures; {@code millis} sorted, failures included at the time they failed.
     *
     * @param cpuMsPerRequest the target process's CPU time in the round over requests sent, ms
     * @param upstreamCpuMsPerRequest the same for the upstream (for every target: it serves them all)
     */
    record Round(String target, int rate, double[] millis, int errors, int timeouts, String firstError,
            double cpuMsPerRequest, double upstreamCpuMsPerRequest, long peakRssMb, String threads) {
        String line() {
            return String.format("%s%n           threads: %s", summary(), threads);
        }

        private String summary() {
            return String.format("%-10s n=%d err=%d timeouts=%d  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms  "
                    + "cpu %.3f ms/req (upstream %.3f)  peak RSS %d MB%s", target, millis.length, errors, timeouts,
                    pct(millis, 50), pct(millis, 90), pct(millis, 99), pct(millis, 99.9), pct(millis, 100), cpuMsPerRequest,
                    upstreamCpuMsPerRequest, peakRssMb, firstError == null ? "" : "  first error: " + firstError);
        }
    }

    private static Round round(Target target, int rate, int seconds, Duration timeout, Child upstream) throws Exception {
        int total = rate * seconds;
        double[] millis = new double[total];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(total);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).header("Content-Type", "application/json")
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(BODY));
        target.headers().forEach(builder::header);
        HttpRequest request = builder.build();
        // A fresh client per round: servers close idle keep-alive connections between rounds (node after 5 s).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(timeout).build();
        target.process().resetPeakRss();
        Map<String, Long> threadsBefore = target.process().threadTicks();
        long cpuBefore = target.process().cpuTicks();
        long upstreamBefore = upstream.cpuTicks();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 20_000_000L;
        try (client; ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = i;
                senders.execute(() -> {
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, r.statusCode() + " "
                                    + new String(r.body(), 0, Math.min(200, r.body().length), StandardCharsets.UTF_8));
                        }
                    } catch (HttpTimeoutException e) {
                        timeouts.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    millis[n] = (System.nanoTime() - scheduled) / 1e6;
                    done.countDown();
                });
            }
            done.await();
        }
        double cpu = (target.process().cpuTicks() - cpuBefore) * 1000.0 / Child.TICKS_PER_SECOND / total;
        double upstreamCpu = (upstream.cpuTicks() - upstreamBefore) * 1000.0 / Child.TICKS_PER_SECOND / total;
        Arrays.sort(millis);
        return new Round(target.name(), rate, millis, errors.get(), timeouts.get(), firstError.get(), cpu, upstreamCpu,
                target.process().peakRssKb() >> 10, threadShares(threadsBefore, target.process().threadTicks()));
    }

    /** The threads that used the most CPU in the round (names with digits folded), as shares of the process's. */
    private static String threadShares(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        after.forEach((tid, ticks) -> {
            String name = tid.substring(tid.indexOf(' ') + 1).replaceAll("[0-9]+", "N");
            byName.merge(name, ticks - before.getOrDefault(tid, 0L), Long::sum);
        });
        long total = Math.max(1, byName.values().stream().mapToLong(Long::longValue).sum());
        return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> String.format("%s %d%%", e.getKey(), Math.round(100.0 * e.getValue() / total)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Nearest-rank percentile of sorted latencies; one definition for both gateway benchmarks. */
    private static double pct(double[] sorted, double percentile) {
        return GatewayBench.pct(sorted, percentile);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A server process this benchmark started; its output goes to {@code log}. */
    record Child(Process process, URI base, String command, Path log) implements AutoCloseable {
        /** {@code getconf CLK_TCK}: 100 on every Linux this runs on (USER_HZ is fixed by the kernel ABI). */
        static final long TICKS_PER_SECOND = 100;

        long pid() {
            return process.pid();
        }

        /** utime + stime of the process (all its threads), in clock ticks. */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        /** CPU ticks per thread, keyed by {@code "<tid> <name>"}; threads that ended since are missing. */
        Map<String, Long> threadTicks() {
            Map<String, Long> out = new java.util.HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.put(task.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    } catch (IOException ended) {
                        // the thread ended while listing
                    }
                }
            } catch (IOException e) {
                return out;
            }
            return out;
        }

        /** Resets VmHWM to the current RSS (Linux 4.0+), so the next reading is this round's peak. */
        void resetPeakRss() throws IOException {
            Files.writeString(Path.of("/proc/" + pid() + "/clear_refs"), "5");
        }

        long peakRssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IOException("no VmHWM in /proc/" + pid() + "/status");
        }

        static Child upstream(Path work) throws Exception {
            String jar = Path.of(GatewayCostBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            // The JDK server closes idle connections beyond 200, and any after 30 s, racing clients that reuse them.
            List<String> cmd = List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-Dsun.net.httpserver.maxIdleConnections=4096",
                    "-Dsun.net.httpserver.idleInterval=3600", "-cp", jar,
                    "dev.yuanjian.bench.Bench", "upstream");
            return start("upstream", work.resolve("upstream"), cmd, Map.of(), Pattern.compile("upstream at (http://\\S+)"));
        }

        static Child yuanjian(Path home, Path jar, String flags, URI upstream) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBin());
            cmd.addAll(Arrays.asList(flags.strip().split("\\s+")));
            cmd.addAll(List.of("-jar", jar.toString(), "serve"));
            Map<String, String> env = Map.of("YUANJIAN_HOME", home.toString(), "YUANJIAN_HOST", "127.0.0.1",
                    "YUANJIAN_PORT", "0", "YUANJIAN_OPENAI_BASE_URL", upstream.toString(), "YUANJIAN_MODEL", "bench");
            return start(home.getFileName().toString(), home, cmd, env, Pattern.compile("serving at (http://\\S+/)"));
        }

        static Child portkey(Path dir, Path main) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> cmd = List.of("node", main.toString(), "--port=" + port, "--headless");
            Child child = start("portkey", dir, cmd, Map.of(), null);
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !child.process().isAlive()) {
                        child.close();
                        throw new IllegalStateException("Portkey did not start; see " + child.log(), e);
                    }
                    Thread.sleep(200);
                }
            }
            return new Child(child.process(), base, child.command(), child.log());
        }

        private static String javaBin() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        private static Child start(String name, Path dir, List<String> cmd, Map<String, String> env, Pattern ready)
                throws Exception {
            Files.createDirectories(dir);
            Path log = dir.resolve(name + ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("YUANJIAN_"));
            pb.environment().putAll(env);
            Process process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy)); // never left running, even on Ctrl-C
            String command = String.join(" ", cmd);
            CompletableFuture<URI> serving = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        out.write(line);
                        out.newLine();
                        out.flush();
                        Matcher m = ready == null ? null : ready.matcher(line);
                        if (m != null && !serving.isDone() && m.find()) {
                            serving.complete(URI.create(m.group(1)));
                        }
                    }
                } catch (IOException e) {
                    serving.completeExceptionally(e);
                }
                serving.completeExceptionally(new IllegalStateException(name + " exited; see " + log));
            });
            if (ready == null) {
                return new Child(process, null, command, log);
            }
            try {
                return new Child(process, serving.get(180, TimeUnit.SECONDS), command, log);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start; see " + log, e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: Yuanjian's shutdown hook closes the log and the database
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
