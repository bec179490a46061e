package dev.yuanjian.model;

import java.time.Duration;

/**
 * The router's time: a monotonic clock in nanoseconds and a way to wait on it. The product uses
 * {@link #SYSTEM}; tests pass a ticker they advance themselves, so breaker and {@code Retry-After}
 * decisions are proven without reading a real clock.
 */
public interface Ticker {
    /** Now, in nanoseconds on an arbitrary origin, like {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds on this ticker's clock; returns early if interrupted (flag kept). */
    void sleep(long nanos);

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) {
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };
}
