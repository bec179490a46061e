package dev.yuanjian.server;

import dev.yuanjian.keys.Access;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.keys.Scope;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;

/**
 * The one access check: runs before every matched route, reads the route's {@link Role} and asks
 * the {@link Gatekeeper}. A refusal becomes {@link Refused}, which {@link ErrorWriter} answers (401,
 * 403 or 429 with Retry-After) in the shape of the route's API. The grant is kept on the request,
 * so the gateway charges tokens to the same key that was admitted (and counted) here.
 */
public final class AccessCheck implements Handler {
    private static final String GRANTED = "yuanjian.granted";

    private final Gatekeeper gatekeeper;

    AccessCheck(Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    /** Checks every route added to {@code config}; install it before any other before-matched handler. */
    public static void install(JavalinConfig config, Gatekeeper gatekeeper) {
        config.routes.beforeMatched(new AccessCheck(gatekeeper));
    }

    /** The key that admitted this request; empty for a public route or a local caller before any key exists. */
    public static Optional<ApiKey> key(Context ctx) {
        Access.Granted granted = ctx.attribute(GRANTED);
        return granted == null ? Optional.empty() : granted.key();
    }

    @Override
    public void handle(Context ctx) {
        Optional<Scope> needed = switch (role(ctx)) {
            case PUBLIC -> Optional.empty();
            case GENERATE -> Optional.of(Scope.GENERATE);
            case VERIFY -> Optional.of(Scope.VERIFY);
            case ADMIN -> Optional.of(Scope.ADMIN);
        };
        if (needed.isEmpty()) {
            return;
        }
        switch (gatekeeper.admit(ctx.header("Authorization"), Peers.isLocal(ctx), needed.get())) {
            case Access.Granted granted -> ctx.attribute(GRANTED, granted);
            case Access.Denied denied -> throw new Refused(denied);
        }
    }

    /**
     * The route's one role. Static files have no endpoint and no role: they are public. An endpoint
     * without exactly one role is a mistake in the route list, refused rather than served open.
     */
    private static Role role(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() && ctx.endpoints().matchedHttpEndpoint() == null) {
            return Role.PUBLIC;
        }
        if (roles.size() != 1 || !(roles.iterator().next() instanceof Role role)) {
            throw new IllegalStateException(ctx.method() + " " + ctx.path() + " is registered with roles " + roles
                    + "; every route declares exactly one dev.yuanjian.server.Role");
        }
        return role;
    }

    /** A refused request, as the gatekeeper worded it; carries no stack trace (an expected outcome). */
    static final class Refused extends RuntimeException {
        private final transient Access.Denied denied;

        Refused(Access.Denied denied) {
            super(denied.message(), null, false, false);
            this.denied = denied;
        }

        Access.Denied denied() {
            return denied;
        }
    }
}
