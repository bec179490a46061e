package dev.yuanjian.model;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * What the router knows about one backend across requests: its circuit breaker and its own limits.
 *
 * <p>Breaker: {@code threshold} consecutive backend faults ({@link Attempt.Failure#unhealthy()}:
 * timeouts, broken connections, 5xx, 429, invalid answers; never a client's 4xx, which leaves the
 * count as it was) open the circuit for {@code openFor}; then exactly one
 * trial request is let through (half-open), whose outcome closes or re-opens it. An open backend
 * costs a request nothing: it is skipped without a connection attempt.
 */
final class BackendHealth {
    private final int threshold;
    private final long openForNanos;
    private final Semaphore concurrent;
    private final int perMinute;

    private int consecutiveFailures;
    private long openUntil;
    private boolean trialInFlight;
    private double tokens;
    private long refilledAt;

    BackendHealth(Backend backend, ModelConfig.Breaker breaker, long now) {
        this.threshold = breaker.failures();
        this.openForNanos = breaker.openFor().toNanos();
        this.concurrent = backend.limits().maxConcurrent() > 0 ? new Semaphore(backend.limits().maxConcurrent()) : null;
        this.perMinute = backend.limits().requestsPerMinute();
        this.tokens = perMinute;
        this.refilledAt = now;
    }

    /** Why the backend cannot take a request now, or null when it has been reserved for one. */
    synchronized String tryAcquire(long now) {
        if (openUntil != 0) {
            if (now < openUntil || trialInFlight) {
                return "circuit open after " + consecutiveFailures + " consecutive failures";
            }
            trialInFlight = true; // half-open: this request is the trial
        }
        if (perMinute > 0) {
            tokens = Math.min(perMinute, tokens + (now - refilledAt) * perMinute / 60e9);
            refilledAt = now;
            if (tokens < 1) {
                trialInFlight = false;
                return "at its limit of " + perMinute + " requests per minute";
            }
            tokens -= 1;
        }
        if (concurrent != null && !concurrent.tryAcquire()) {
            trialInFlight = false;
            return "at its limit of concurrent requests";
        }
        return null;
    }

    /** Ends a reservation from {@link #tryAcquire}; {@code unhealthy} counts toward opening the circuit. */
    synchronized void release(boolean success, boolean unhealthy, long now) {
        if (concurrent != null) {
            concurrent.release();
        }
        trialInFlight = false;
        if (success) {
            consecutiveFailures = 0;
            openUntil = 0;
        } else if (unhealthy) {
            consecutiveFailures++;
            if (consecutiveFailures >= threshold || openUntil != 0) {
                openUntil = now + openForNanos;
            }
        }
    }

    synchronized boolean open(long now) {
        return openUntil != 0 && now < openUntil;
    }

    static Duration nanos(long n) {
        return Duration.ofNanos(n);
    }
}
