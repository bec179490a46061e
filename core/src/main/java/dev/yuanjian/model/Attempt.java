package dev.yuanjian.model;

import java.time.Duration;
import java.util.Optional;

/** The outcome of one call to one backend: its answer, or why there is none. */
public sealed interface Attempt<T> {

    record Answered<T>(T value) implements Attempt<T> {
    }

    record Failed<T>(Failure failure) implements Attempt<T> {
        /** The same failure as an attempt of another type. */
        public <U> Failed<U> retype() {
            return new Failed<>(failure);
        }
    }

    static <T> Attempt<T> failed(Failure.Kind kind, int status, Optional<Duration> retryAfter, String message,
                                 byte[] body) {
        return new Failed<>(new Failure(kind, status, retryAfter, message, body));
    }

    /**
     * Why a call failed. {@code status} is the upstream's HTTP status or 0; {@code body} the
     * upstream's error body (at most 64 KiB), kept so a client error can be passed back as it came.
     */
    record Failure(Kind kind, int status, Optional<Duration> retryAfter, String message, byte[] body) {

        public enum Kind {
            /** No answer within the timeout. */
            TIMEOUT,
            /** Could not connect, or the connection broke. */
            CONNECTION,
            /** 429. */
            RATE_LIMITED,
            /** 5xx, and 408 (the backend timed out on our connection: a transport fault, not the request's). */
            SERVER_ERROR,
            /** 200 but not the protocol: invalid JSON, no events. */
            INVALID_RESPONSE,
            /** Any other 4xx: the request itself is wrong; no other backend would take it either. */
            REJECTED,
            /** This backend is at its own limits or its circuit is open: not tried. */
            UNAVAILABLE
        }

        /** True when another attempt (this backend later, or another backend) may succeed. */
        public boolean retriable() {
            return kind != Kind.REJECTED;
        }

        /**
         * True when the failure is the backend's fault, which the circuit breaker counts: no answer in
         * time, a broken connection, 5xx (and 408), 429, or a 200 that is not the protocol. A client's
         * 4xx ({@link Kind#REJECTED}) never is: a request the backend cannot serve (an image request
         * to a chat-only server, a bad parameter) says nothing about how it serves everyone else.
         */
        public boolean unhealthy() {
            return switch (kind) {
                case TIMEOUT, CONNECTION, RATE_LIMITED, SERVER_ERROR, INVALID_RESPONSE -> true;
                case REJECTED, UNAVAILABLE -> false;
            };
        }
    }
}
