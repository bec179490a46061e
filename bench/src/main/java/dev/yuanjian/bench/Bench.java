package dev.yuanjian.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark commands: {@code java -jar bench/target/benchmarks.jar <command> [options]}.
 * Each command prints what it measured, how, and a baseline measured in the same run; the figures
 * go to {@code docs/benchmarks.md}. To add a command, add one line to {@link #COMMANDS}.
 */
public final class Bench {

    /** One benchmark command; returns the process exit code. */
    @FunctionalInterface
    interface Command {
        int run(String[] args) throws Exception;
    }

    private static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("log-append", LogBench::append),
            Map.entry("log-proof", LogBench::proof),
            Map.entry("log-verify", LogBench::verify),
            Map.entry("label-verify", dev.yuanjian.bench.label.ProductPathBench::run),
            Map.entry("documents", dev.yuanjian.bench.label.DocumentsBench::run),
            Map.entry("jpeg-path", dev.yuanjian.bench.label.JpegPathBench::run),
            Map.entry("gateway", dev.yuanjian.bench.gateway.GatewayCostBench::run),
            Map.entry("gateway-inprocess", dev.yuanjian.bench.gateway.GatewayBench::run),
            Map.entry("gateway-responses", dev.yuanjian.bench.gateway.ResponsesBench::run),
            Map.entry("gateway-endpoints", dev.yuanjian.bench.gateway.EndpointsBench::run),
            Map.entry("upstream", dev.yuanjian.bench.gateway.UpstreamCommand::run),
            Map.entry("startup", StartupBench::run),
            Map.entry("pii-vault", VaultBench::run),
            Map.entry("privacy-names", dev.yuanjian.bench.privacy.NamesBench::run),
            Map.entry("watermark", dev.yuanjian.bench.watermark.WatermarkBench::run),
            Map.entry("privacy", dev.yuanjian.bench.privacy.PrivacyBench::run));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            System.err.println("usage: java -jar benchmarks.jar <command> [options]\ncommands: "
                    + String.join(", ", new TreeMap<>(COMMANDS).keySet()));
            System.exit(2);
        }
        System.exit(COMMANDS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length)));
    }
}
