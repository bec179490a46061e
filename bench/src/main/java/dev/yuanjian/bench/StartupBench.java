package dev.yuanjian.bench;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.store.Home;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code startup}: whole processes, as a user runs them. Labels {@code --files} small PNGs (64x64,
 * each different) through the product's pipeline into a fresh data directory, then times, in the
 * same run and interleaved so that the machine's load falls on each alike:
 *
 * <ul>
 *   <li>one-file {@code <launcher> verify f.png} ({@code --runs} times, after 2 warm-up runs),
 *       beside {@code exiftool -XMP-TC260:all f.png} reading the same label, and beside
 *       {@code --baseline} (another checkout's launcher) when given;</li>
 *   <li>{@code <launcher> verify -r DIR} over all the files, beside {@code exiftool -r -XMP-TC260:all
 *       DIR}, as files per second (skipped when the launcher's verify has no {@code -r}).</li>
 * </ul>
 *
 * <p>Targets: one-file verify median at most 0.4 s; {@code verify -r} at least 300 files/s. Exit 1
 * when one is missed, 2 when a process gives the wrong answer (verify not intact, ExifTool without
 * the label). Usage: {@code java -jar bench/target/benchmarks.jar startup --launcher ./yuanjian
 * [--baseline /tmp/base/yuanjian] [--files 1000] [--runs 20] [--recursive-runs 3]}.
 */
final class StartupBench {
    private static final double ONE_FILE_TARGET_S = 0.4;
    private static final double RECURSIVE_TARGET_FILES_PER_S = 300;

    private StartupBench() {
    }

    static int run(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path launcher = Path.of(options.text("launcher", "./yuanjian")).toAbsolutePath();
        String baseline = options.text("baseline", "");
        int files = (int) options.number("files", 1000);
        int runs = (int) options.number("runs", 20);
        int recursiveRuns = (int) options.number("recursive-runs", 3);
        Path work = Files.createTempDirectory("yuanjian-bench-startup");
        Path home = work.resolve("home");
        Path pngs = Files.createDirectories(work.resolve("png"));
        System.out.printf(Locale.ROOT, "startup: %d labelled PNGs in %s; load average %s%n", files, work, loadAverage());

        long t0 = System.nanoTime();
        try (Yuanjian app = Yuanjian.open(new Home(home), Settings.defaults(), Map.of())) {
            for (int i = 0; i < files; i++) {
                Pipeline.Result result = app.pipeline().label(new Pipeline.Request(
                        Asset.of("f" + i + ".png", png(i)), Set.of(), "bench-model", Optional.empty()));
                Files.write(pngs.resolve(String.format(Locale.ROOT, "f%04d.png", i)), result.labelled().bytes());
            }
        }
        System.out.printf(Locale.ROOT, "labelled through the product in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Map<String, String> env = Map.of("YUANJIAN_HOME", home.toString());
        Path one = pngs.resolve("f0000.png");

        Map<String, List<String>> oneFile = new LinkedHashMap<>();
        oneFile.put("yuanjian verify f.png", List.of(launcher.toString(), "verify", one.toString()));
        if (!baseline.isBlank()) {
            oneFile.put("baseline: yuanjian verify f.png", List.of(Path.of(baseline).toAbsolutePath().toString(),
                    "verify", one.toString()));
        }
        oneFile.put("exiftool -XMP-TC260:all f.png", List.of("exiftool", "-XMP-TC260:all", one.toString()));
        Map<String, double[]> seconds = timeInterleaved(oneFile, env, 2, runs);
        System.out.printf(Locale.ROOT, "%none file, whole process, %d runs each, interleaved%n%-34s %9s %9s %9s%n",
                runs, "command", "median s", "p90 s", "min s");
        seconds.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %9.3f%n", name, median(s),
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)], s[0]));
        double oneFileMedian = median(seconds.get("yuanjian verify f.png"));
        boolean ok = oneFileMedian <= ONE_FILE_TARGET_S;
        System.out.printf(Locale.ROOT, "target one-file verify <= %.1f s: %s (%.3f s)%n", ONE_FILE_TARGET_S,
                ok ? "met" : "MISSED", oneFileMedian);

        if (!supportsRecursive(launcher, env)) {
            System.out.println("\nverify -r: skipped, this launcher's verify has no -r option");
        } else {
            Map<String, List<String>> recursive = new LinkedHashMap<>();
            recursive.put("yuanjian verify -r DIR", List.of(launcher.toString(), "verify", "-r", pngs.toString()));
            recursive.put("exiftool -r -XMP-TC260:all DIR", List.of("exiftool", "-r", "-XMP-TC260:all", pngs.toString()));
            Map<String, double[]> r = timeInterleaved(recursive, env, 1, recursiveRuns);
            System.out.printf(Locale.ROOT, "%n%d files, whole process, %d runs each, interleaved%n%-34s %9s %12s%n",
                    files, recursiveRuns, "command", "median s", "files/s");
            r.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-34s %9.2f %12.0f%n", name, median(s),
                    files / median(s)));
            double rate = files / median(r.get("yuanjian verify -r DIR"));
            boolean met = rate >= RECURSIVE_TARGET_FILES_PER_S;
            ok &= met;
            System.out.printf(Locale.ROOT, "target verify -r >= %.0f files/s: %s (%.0f files/s)%n",
                    RECURSIVE_TARGET_FILES_PER_S, met ? "met" : "MISSED", rate);
        }
        System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
        deleteTree(work);
        return ok ? 0 : 1;
    }

    /** A 64x64 PNG whose pixels depend on {@code seed}, so every file is different. */
    private static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (seed * 0x9E3779B1 + x * 40503 + y * 9973) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Runs each command once per round, in turn, {@code warmup + runs} rounds; sorted seconds per command. */
    private static Map<String, double[]> timeInterleaved(Map<String, List<String>> commands, Map<String, String> env,
                                                         int warmup, int runs) throws Exception {
        Map<String, double[]> seconds = new LinkedHashMap<>();
        commands.keySet().forEach(name -> seconds.put(name, new double[runs]));
        for (int round = 0; round < warmup + runs; round++) {
            for (var command : commands.entrySet()) {
                double s = timeOnce(command.getKey(), command.getValue(), env);
                if (round >= warmup) {
                    seconds.get(command.getKey())[round - warmup] = s;
                }
            }
        }
        seconds.values().forEach(Arrays::sort);
        return seconds;
    }

    /** Wall seconds of one process, from start to exit; checks that it gave the right answer. */
    private static double timeOnce(String name, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        long t0 = System.nanoTime();
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        int code = process.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String text = new String(output, StandardCharsets.UTF_8);
        boolean right = name.startsWith("exiftool") ? text.contains("AIGC") && code == 0
                : code == 0 && text.contains("INTACT") && !text.contains("ALTERED") && !text.contains("FORGED");
        if (!right) {
            System.out.printf("%s gave a wrong answer (exit %d):%n%s%n", name, code,
                    text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
            System.exit(2);
        }
        return seconds;
    }

    private static boolean supportsRecursive(Path launcher, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "verify", "--help").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return help.matches("(?s).*(^|\\s)-r[,\\s].*");
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
