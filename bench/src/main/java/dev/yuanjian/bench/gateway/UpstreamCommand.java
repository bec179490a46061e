package dev.yuanjian.bench.gateway;

import dev.yuanjian.testing.OpenAiLoopback;

/**
 * The {@code upstream} command of {@code benchmarks.jar}: the tests' loopback model server in a
 * process of its own, for {@link GatewayCostBench}. Prints {@code upstream at <base URL>} and serves
 * until its standard input closes, so it ends with the benchmark that started it.
 */
public final class UpstreamCommand {
    private UpstreamCommand() {
    }

    public static int run(String[] args) throws Exception {
        try (OpenAiLoopback upstream = new OpenAiLoopback().recordRequests(false)) {
            System.out.println("upstream at " + upstream.baseUrl());
            System.out.flush();
            while (System.in.read() != -1) {
                // Reading until end of input: the parent closed the pipe or exited.
            }
        }
        return 0;
    }
}
