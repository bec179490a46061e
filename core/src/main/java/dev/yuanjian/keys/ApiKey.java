package dev.yuanjian.keys;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A stored key (never its secret).
 *
 * @param id        the public part, also inside the key text ({@code yj_<id>_<secret>})
 * @param limits    0 in a field means unlimited
 * @param tokensUsed tokens charged so far against {@code limits.tokenBudget()}
 */
public record ApiKey(String id, String name, Set<Scope> scopes, Limits limits, long tokensUsed, Instant created,
                     Optional<Instant> revoked) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    /** Per-key limits; 0 = none. */
    public record Limits(int requestsPerMinute, int tokensPerMinute, long tokenBudget) {
        public static final Limits NONE = new Limits(0, 0, 0);

        public Limits {
            if (requestsPerMinute < 0 || tokensPerMinute < 0 || tokenBudget < 0) {
                throw new IllegalArgumentException("limits must not be negative");
            }
        }
    }

    public boolean allows(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }
}
