package dev.yuanjian.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Chooses backends for a request and retries and falls back until one answers.
 *
 * <p>Candidates: the model's own backends, lower {@code priority} first, in weighted random order
 * among equal priorities, then the backends of its configured fallback models. The first pass
 * tries each candidate once, falling back at once on an error, timeout, 429 or 5xx (the client is
 * waiting; another backend is the quickest answer). Each further pass (up to {@code retries.max})
 * retries the candidates that failed, each no earlier than its {@code Retry-After} or else a
 * jittered exponential backoff; a {@code Retry-After} longer than {@code retries.maxRetryAfter}
 * drops that candidate. A client error (other 4xx) ends routing at once: no backend would accept
 * the same request; it never counts against the backend's circuit breaker (see {@link BackendHealth}).
 * The whole routing stays within {@code deadline}.
 */
public final class Router {
    /** Ends a backend reservation. */
    interface Release {
        void release(boolean healthy);
    }

    private final ModelConfig config;
    private final Ticker ticker;
    private final Map<String, BackendHealth> health = new HashMap<>();
    private final Map<String, List<Backend>> byName = new HashMap<>();

    public Router(ModelConfig config) {
        this(config, Ticker.SYSTEM);
    }

    /** A router on the given time source (tests advance a ticker of their own). */
    public Router(ModelConfig config, Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        for (Backend b : config.backends()) {
            health.put(b.id(), new BackendHealth(b, config.breaker(), ticker.nanoTime()));
            byName.computeIfAbsent(b.publicName(), k -> new ArrayList<>()).add(b);
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** True when the backend's circuit is open now (for {@code /v1/models} and diagnostics). */
    public boolean isOpen(Backend backend) {
        return health.get(backend.id()).open(ticker.nanoTime());
    }

    /**
     * Routes one request.
     *
     * @param model    the public model name the client asked for
     * @param capable  which backends can serve this kind of request (chat, images)
     * @param deadline the time on this router's ticker ({@link System#nanoTime()} in the product) by which
     *                 routing gives up (attempts already running finish)
     * @param call     one attempt on one backend
     */
    public <T> Routed<T> route(String model, Predicate<Backend> capable, long deadline,
                               Function<Backend, Attempt<T>> call) {
        List<Backend> candidates = candidates(model, capable);
        if (candidates.isEmpty()) {
            List<String> known = config.backends().stream().filter(capable).map(Backend::publicName).distinct().toList();
            return new Routed.UnknownModel<>(model, known);
        }
        ModelConfig.Retries retries = config.retries();
        List<String> tried = new ArrayList<>();
        Attempt.Failure last = null;
        long[] notBefore = new long[candidates.size()];
        boolean[] dropped = new boolean[candidates.size()];
        int attempts = 0;
        for (int pass = 0; pass <= retries.max(); pass++) {
            boolean any = false;
            for (int i = 0; i < candidates.size(); i++) {
                if (dropped[i]) {
                    continue;
                }
                Backend backend = candidates.get(i);
                long now = ticker.nanoTime();
                if (notBefore[i] > now) {
                    if (notBefore[i] >= deadline) {
                        dropped[i] = true;
                        continue;
                    }
                    ticker.sleep(notBefore[i] - now);
                    now = ticker.nanoTime();
                }
                if (now >= deadline) {
                    return exhausted(last, tried, "the gateway's time limit ran out");
                }
                BackendHealth h = health.get(backend.id());
                String unavailable = h.tryAcquire(now);
                if (unavailable != null) {
                    tried.add(backend.id() + ": skipped, " + unavailable);
                    if (last == null) {
                        last = new Attempt.Failure(Attempt.Failure.Kind.UNAVAILABLE, 0, Optional.empty(),
                                backend.id() + " is " + unavailable, new byte[0]);
                    }
                    notBefore[i] = now + backoff(pass);
                    any = true;
                    continue;
                }
                any = true;
                attempts++;
                Attempt<T> attempt;
                try {
                    attempt = call.apply(backend);
                } catch (RuntimeException e) {
                    // The upstream client reports every backend fault as an Attempt; an exception is
                    // our bug or the request's, and says nothing about the backend.
                    h.release(false, false, ticker.nanoTime());
                    throw e;
                }
                switch (attempt) {
                    case Attempt.Answered<T> answered -> {
                        return new Routed.Served<>(answered.value(), backend, attempts,
                                healthy -> h.release(healthy, !healthy, ticker.nanoTime()));
                    }
                    case Attempt.Failed<T> failed -> {
                        Attempt.Failure f = failed.failure();
                        h.release(false, f.unhealthy(), ticker.nanoTime());
                        last = f;
                        tried.add(backend.id() + ": " + f.message());
                        if (!f.retriable()) {
                            return new Routed.Rejected<>(f, backend);
                        }
                        Optional<Duration> ra = f.retryAfter();
                        if (ra.isPresent() && ra.get().compareTo(retries.maxRetryAfter()) > 0) {
                            dropped[i] = true;
                        } else {
                            notBefore[i] = ticker.nanoTime() + ra.map(Duration::toNanos).orElse(backoff(pass));
                        }
                    }
                }
            }
            if (!any) {
                break;
            }
        }
        return exhausted(last, tried, null);
    }

    private static <T> Routed<T> exhausted(Attempt.Failure last, List<String> tried, String why) {
        if (last == null) {
            last = new Attempt.Failure(Attempt.Failure.Kind.TIMEOUT, 0, Optional.empty(),
                    why == null ? "no backend could be tried" : why, new byte[0]);
        }
        return new Routed.Exhausted<>(last, List.copyOf(tried));
    }

    /** Full jitter: uniformly random in [backoff/2, backoff * 2^pass], capped at maxBackoff. */
    private long backoff(int pass) {
        long base = config.retries().backoff().toNanos();
        long cap = config.retries().maxBackoff().toNanos();
        long ceiling = Math.min(cap, base << Math.min(pass, 20));
        long floor = Math.min(ceiling, base / 2);
        return floor + (ceiling > floor ? ThreadLocalRandom.current().nextLong(ceiling - floor) : 0);
    }

    private List<Backend> candidates(String model, Predicate<Backend> capable) {
        Set<Backend> out = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        addCandidates(model, capable, out, seen);
        return List.copyOf(out);
    }

    private void addCandidates(String model, Predicate<Backend> capable, Set<Backend> out, Set<String> seen) {
        if (!seen.add(model)) {
            return; // fallback cycles end here
        }
        List<Backend> own = byName.getOrDefault(model, List.of()).stream().filter(capable).toList();
        java.util.TreeMap<Integer, List<Backend>> byPriority = new java.util.TreeMap<>();
        own.forEach(b -> byPriority.computeIfAbsent(b.priority(), k -> new ArrayList<>()).add(b));
        byPriority.values().forEach(group -> out.addAll(weightedOrder(group)));
        for (String fallback : config.fallbacks().getOrDefault(model, List.of())) {
            addCandidates(fallback, capable, out, seen);
        }
    }

    /** A random order in which each backend comes first with probability weight / total weight. */
    static List<Backend> weightedOrder(List<Backend> group) {
        if (group.size() < 2) {
            return group;
        }
        List<Backend> left = new ArrayList<>(group);
        List<Backend> order = new ArrayList<>(group.size());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!left.isEmpty()) {
            int total = left.stream().mapToInt(Backend::weight).sum();
            int pick = random.nextInt(total);
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight();
                if (pick < 0) {
                    order.add(left.remove(i));
                    break;
                }
            }
        }
        return order;
    }
}
