package dev.yuanjian.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Routing decisions with scripted attempts on a ticker the test advances: no network, no real clock. */
class RouterTest {
    /** Time that moves only when the router waits or the test says so; every wait is recorded. */
    private static final class ManualTicker implements Ticker {
        long now = 1_000_000_000L;
        final List<Long> slept = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            slept.add(nanos);
            now += nanos;
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    private static Backend b(String id, String name, int priority, int weight) {
        return new Backend(id, name, Backend.Kind.OPENAI, URI.create("http://127.0.0.1:9/v1"), "", "", weight, priority,
                Backend.Limits.NONE);
    }

    private static ModelConfig config(List<Backend> backends, int retries, int breakerFailures) {
        return ModelConfig.of(backends)
                .withRetries(new ModelConfig.Retries(retries, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(50)))
                .withBreaker(new ModelConfig.Breaker(breakerFailures, Duration.ofSeconds(60)));
    }

    private static Attempt<String> fail(Attempt.Failure.Kind kind, Duration retryAfter) {
        return Attempt.failed(kind, kind == Attempt.Failure.Kind.RATE_LIMITED ? 429 : 500, Optional.ofNullable(retryAfter),
                kind.name(), new byte[0]);
    }

    private static long later() {
        return System.nanoTime() + Duration.ofSeconds(5).toNanos();
    }

    /** Calls answer from a script per backend id; the order of calls is recorded. */
    private static Function<Backend, Attempt<String>> script(Map<String, List<Attempt<String>>> script, List<String> calls) {
        Map<String, Integer> next = new HashMap<>();
        return backend -> {
            calls.add(backend.id());
            List<Attempt<String>> answers = script.get(backend.id());
            int i = next.merge(backend.id(), 1, Integer::sum) - 1;
            return i < answers.size() ? answers.get(i) : answers.getLast();
        };
    }

    @Test
    void lowerPriorityFirstThenFallbackModels() {
        ModelConfig c = config(List.of(b("a#1", "a", 1, 1), b("a#0", "a", 0, 1), b("z#0", "z", 0, 1)), 0, 5)
                .withFallbacks(Map.of("a", List.of("z")));
        List<String> calls = new ArrayList<>();
        Routed<String> r = new Router(c).route("a", x -> true, later(), script(Map.of(
                "a#0", List.of(fail(Attempt.Failure.Kind.SERVER_ERROR, null)),
                "a#1", List.of(fail(Attempt.Failure.Kind.TIMEOUT, null)),
                "z#0", List.of(new Attempt.Answered<>("z"))), calls));

        assertThat(calls).containsExactly("a#0", "a#1", "z#0");
        assertThat(r).isInstanceOf(Routed.Served.class);
        assertThat(((Routed.Served<String>) r).attempts()).isEqualTo(3);
    }

    @Test
    void weightsShareTrafficAmongEqualPriorities() {
        List<Backend> group = List.of(b("a#0", "a", 0, 3), b("a#1", "a", 0, 1));
        int heavyFirst = 0;
        for (int i = 0; i < 4000; i++) {
            if (Router.weightedOrder(group).getFirst().id().equals("a#0")) {
                heavyFirst++;
            }
        }
        assertThat(heavyFirst).isBetween(2800, 3200);
    }

    @Test
    void retriesHonourRetryAfterAndDropCandidatesBeyondTheCap() {
        List<String> calls = new ArrayList<>();
        ManualTicker ticker = new ManualTicker();
        Routed<String> r = new Router(config(List.of(b("a#0", "a", 0, 1)), 2, 5), ticker).route("a", x -> true,
                ticker.now + Duration.ofSeconds(5).toNanos(),
                script(Map.of("a#0", List.of(fail(Attempt.Failure.Kind.RATE_LIMITED, Duration.ofMillis(30)),
                        new Attempt.Answered<>("ok"))), calls));
        assertThat(r).isInstanceOf(Routed.Served.class);
        assertThat(calls).containsExactly("a#0", "a#0");
        // The retry waited exactly the Retry-After, not a backoff of its own.
        assertThat(ticker.slept).containsExactly(Duration.ofMillis(30).toNanos());

        calls.clear();
        Routed<String> dropped = new Router(config(List.of(b("a#0", "a", 0, 1)), 2, 5), ticker).route("a", x -> true,
                ticker.now + Duration.ofSeconds(5).toNanos(),
                script(Map.of("a#0", List.of(fail(Attempt.Failure.Kind.RATE_LIMITED, Duration.ofSeconds(60)))), calls));
        assertThat(calls).containsExactly("a#0");
        assertThat(dropped).isInstanceOf(Routed.Exhausted.class);
        assertThat(((Routed.Exhausted<String>) dropped).last().retryAfter()).contains(Duration.ofSeconds(60));
    }

    @Test
    void aClientErrorStopsRoutingAtOnce() {
        List<String> calls = new ArrayList<>();
        Routed<String> r = new Router(config(List.of(b("a#0", "a", 0, 1), b("a#1", "a", 1, 1)), 2, 5)).route("a",
                x -> true, later(), script(Map.of("a#0", List.of(fail(Attempt.Failure.Kind.REJECTED, null)),
                        "a#1", List.of(new Attempt.Answered<>("never"))), calls));
        assertThat(r).isInstanceOf(Routed.Rejected.class);
        assertThat(calls).containsExactly("a#0");
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresAndLetsOneTrialThroughLater() {
        ModelConfig c = ModelConfig.of(List.of(b("a#0", "a", 0, 1)))
                .withRetries(new ModelConfig.Retries(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)))
                .withBreaker(new ModelConfig.Breaker(2, Duration.ofMillis(100)));
        ManualTicker ticker = new ManualTicker();
        Router router = new Router(c, ticker);
        Backend a = c.backends().getFirst();
        List<String> calls = new ArrayList<>();
        var failing = script(Map.of("a#0", List.of(fail(Attempt.Failure.Kind.SERVER_ERROR, null))), calls);
        long deadline = ticker.now + Duration.ofSeconds(5).toNanos();
        router.route("a", x -> true, deadline, failing);
        router.route("a", x -> true, deadline, failing);
        assertThat(router.isOpen(a)).isTrue();

        ticker.advance(Duration.ofMillis(99));
        Routed<String> skipped = router.route("a", x -> true, deadline, failing);
        assertThat(calls).hasSize(2);
        assertThat(((Routed.Exhausted<String>) skipped).last().kind()).isEqualTo(Attempt.Failure.Kind.UNAVAILABLE);

        ticker.advance(Duration.ofMillis(2));
        Routed<String> trial = router.route("a", x -> true, deadline, b -> new Attempt.Answered<>("back"));
        assertThat(trial).isInstanceOf(Routed.Served.class);
        ((Routed.Served<String>) trial).release(true);
        assertThat(router.isOpen(a)).isFalse();
    }

    /** Issue 7: only backend faults open a circuit; a client's 4xx, however many, never does. */
    @Test
    void onlyBackendFaultsCountAgainstTheBreaker() {
        for (Attempt.Failure.Kind kind : Attempt.Failure.Kind.values()) {
            if (kind == Attempt.Failure.Kind.UNAVAILABLE) {
                continue; // made by the router itself, never by a call
            }
            ModelConfig c = config(List.of(b("a#0", "a", 0, 1)), 0, 3);
            Router router = new Router(c);
            Attempt<String> failure = kind == Attempt.Failure.Kind.REJECTED
                    ? Attempt.failed(kind, 404, Optional.empty(), "upstream answered 404", new byte[0])
                    : fail(kind, null);
            for (int i = 0; i < 5; i++) {
                router.route("a", x -> true, later(), x -> failure);
            }
            boolean backendFault = kind != Attempt.Failure.Kind.REJECTED;
            assertThat(router.isOpen(c.backends().getFirst())).as(kind.name()).isEqualTo(backendFault);
        }
    }

    @Test
    void anExceptionInOurOwnCodeDoesNotCountAgainstTheBackend() {
        ModelConfig c = config(List.of(b("a#0", "a", 0, 1)), 0, 2);
        Router router = new Router(c);
        for (int i = 0; i < 4; i++) {
            try {
                router.route("a", x -> true, later(), x -> {
                    throw new IllegalArgumentException("a request our code could not serialise");
                });
            } catch (IllegalArgumentException expected) {
                // passed on to the caller as it was
            }
        }
        assertThat(router.isOpen(c.backends().getFirst())).isFalse();
    }

    @Test
    void unknownModelsListTheKnownOnes() {
        Routed<String> r = new Router(config(List.of(b("a#0", "a", 0, 1)), 0, 5)).route("b", x -> true, later(),
                x -> new Attempt.Answered<>("no"));
        assertThat(((Routed.UnknownModel<String>) r).known()).containsExactly("a");
    }
}
