package dev.yuanjian.model;

import java.util.List;

/** The outcome of routing one request over the backends of a model. */
public sealed interface Routed<T> {

    /**
     * A backend answered. The caller must {@link #release} when done with the answer (for a stream:
     * when the stream ends), saying whether it went well, so limits and the breaker stay right.
     */
    final class Served<T> implements Routed<T> {
        private final T value;
        private final Backend backend;
        private final int attempts;
        private final Router.Release release;
        private boolean released;

        Served(T value, Backend backend, int attempts, Router.Release release) {
            this.value = value;
            this.backend = backend;
            this.attempts = attempts;
            this.release = release;
        }

        public T value() {
            return value;
        }

        public Backend backend() {
            return backend;
        }

        /** Attempts made, this one included. */
        public int attempts() {
            return attempts;
        }

        public synchronized void release(boolean healthy) {
            if (!released) {
                released = true;
                release.release(healthy);
            }
        }
    }

    /** The upstream refused the request itself (a 4xx other than 408/429): passed back, not retried. */
    record Rejected<T>(Attempt.Failure failure, Backend backend) implements Routed<T> {
    }

    /** Every candidate failed or was unavailable; {@code last} is the last failure, {@code tried} one line per attempt. */
    record Exhausted<T>(Attempt.Failure last, List<String> tried) implements Routed<T> {
    }

    /** No backend serves this model name (for this capability). */
    record UnknownModel<T>(String model, List<String> known) implements Routed<T> {
    }
}
