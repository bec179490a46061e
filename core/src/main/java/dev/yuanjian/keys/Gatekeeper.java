package dev.yuanjian.keys;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a request may proceed, and keeps each key's per-minute budgets.
 *
 * <p>With no active key the gateway is open to callers on this machine only: a fresh install
 * works for the person who installed it, and is not an open relay for the network. Once a key
 * exists every request needs one ({@code Authorization: Bearer yj_...}).
 *
 * <p>Requests per minute are counted when a request is admitted; tokens when it finishes (only
 * then is the usage known), so a key may overshoot its token limit by one request's tokens, and
 * is refused until its minute refills.
 */
public final class Gatekeeper {
    private final ApiKeys keys;
    private final ConcurrentHashMap<String, Buckets> buckets = new ConcurrentHashMap<>();

    public Gatekeeper(ApiKeys keys) {
        this.keys = keys;
    }

    public ApiKeys keys() {
        return keys;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param local         the peer is this machine (loopback address)
     */
    public Access admit(String authorization, boolean local, Scope needed) {
        String secret = bearer(authorization);
        if (!keys.anyCreated()) {
            // SDKs insist on sending some key; without keys here, whatever they send is ignored.
            return local ? new Access.Granted(Optional.empty())
                    : new Access.Denied(403, "local_only", "This gateway has no API keys yet, so it serves only "
                    + "callers on its own machine. Create a key there with: yuanjian keys create --name NAME "
                    + "--scopes generate", Optional.empty());
        }
        if (secret == null) {
            return new Access.Denied(401, "missing_api_key", "You didn't provide an API key. Send it as "
                    + "'Authorization: Bearer yj_...' (create one with: yuanjian keys create).", Optional.empty());
        }
        Optional<ApiKey> found = keys.find(secret);
        if (found.isEmpty()) {
            return new Access.Denied(401, "invalid_api_key", "Incorrect or revoked API key provided.", Optional.empty());
        }
        ApiKey key = found.get();
        if (!key.allows(needed)) {
            return new Access.Denied(403, "missing_scope", "This key (" + key.id() + ") lacks the '" + needed.id()
                    + "' scope; it has: " + Scope.format(key.scopes()), Optional.empty());
        }
        Buckets b = buckets.computeIfAbsent(key.id(), id -> new Buckets(key.limits()));
        return b.admit(key);
    }

    /** Charges a finished request's tokens to the key's minute and budget. */
    public void charge(ApiKey key, long tokens) {
        if (tokens <= 0) {
            return;
        }
        Buckets b = buckets.computeIfAbsent(key.id(), id -> new Buckets(key.limits()));
        b.chargeTokens(tokens);
        if (key.limits().tokenBudget() > 0) {
            b.used = keys.charge(key.id(), tokens);
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.strip();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
            v = v.substring(7).strip();
        }
        return v.isEmpty() ? null : v;
    }

    /** Token buckets refilled continuously: a limit of N per minute allows bursts of N. */
    private static final class Buckets {
        private final ApiKey.Limits limits;
        private double requests;
        private double tokens;
        private long at = System.nanoTime();
        private volatile long used = -1;

        Buckets(ApiKey.Limits limits) {
            this.limits = limits;
            this.requests = limits.requestsPerMinute();
            this.tokens = limits.tokensPerMinute();
        }

        synchronized Access admit(ApiKey key) {
            refill();
            long spent = used >= 0 ? used : key.tokensUsed();
            if (limits.tokenBudget() > 0 && spent >= limits.tokenBudget()) {
                return new Access.Denied(429, "insufficient_quota", "This key (" + key.id() + ") has used its budget of "
                        + limits.tokenBudget() + " tokens.", Optional.empty());
            }
            if (limits.tokensPerMinute() > 0 && tokens < 1) {
                return new Access.Denied(429, "rate_limit_exceeded", "Rate limit reached for key " + key.id() + ": "
                        + limits.tokensPerMinute() + " tokens per minute.", Optional.of(wait(1 - tokens, limits.tokensPerMinute())));
            }
            if (limits.requestsPerMinute() > 0) {
                if (requests < 1) {
                    return new Access.Denied(429, "rate_limit_exceeded", "Rate limit reached for key " + key.id() + ": "
                            + limits.requestsPerMinute() + " requests per minute.",
                            Optional.of(wait(1 - requests, limits.requestsPerMinute())));
                }
                requests -= 1;
            }
            return new Access.Granted(Optional.of(key));
        }

        synchronized void chargeTokens(long n) {
            refill();
            if (limits.tokensPerMinute() > 0) {
                tokens -= n;
            }
        }

        private void refill() {
            long now = System.nanoTime();
            double minutes = (now - at) / 60e9;
            at = now;
            requests = Math.min(limits.requestsPerMinute(), requests + minutes * limits.requestsPerMinute());
            tokens = Math.min(limits.tokensPerMinute(), tokens + minutes * limits.tokensPerMinute());
        }

        private static Duration wait(double missing, int perMinute) {
            return Duration.ofMillis((long) Math.ceil(missing * 60_000.0 / perMinute));
        }
    }
}
