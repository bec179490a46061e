package dev.yuanjian.keys;

import java.time.Duration;
import java.util.Optional;

/** The access decision for one request. */
public sealed interface Access {

    /** Let it through. {@code key} is empty for a local caller of a gateway without keys. */
    record Granted(Optional<ApiKey> key) implements Access {
    }

    /**
     * Refuse it: 401 (no or unknown key), 403 (key lacks the scope, or not local without keys),
     * 429 (a limit; {@code retryAfter} says when to try again).
     */
    record Denied(int status, String code, String message, Optional<Duration> retryAfter) implements Access {
    }
}
