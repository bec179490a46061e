package dev.yuanjian.server.gateway;

import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.keys.Gatekeeper;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the gateway's routes to a Javalin configuration. The product owns the gateway and closes it. */
public final class GatewayRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);

    private GatewayRoutes() {
    }

    /**
     * The gateway's routes over the product's one gateway and one {@code gatekeeper} (so a key's
     * limits span every route).
     */
    public static void install(JavalinConfig config, Gateway gateway, Gatekeeper gatekeeper) {
        LOG.info(gateway.describeBackends());
        GatewayHandlers handlers = new GatewayHandlers(gateway, gatekeeper);
        config.routes.post("/v1/chat/completions", handlers.guarded(handlers::chat));
        config.routes.post("/v1/images/generations", handlers.guarded(handlers::images));
        config.routes.get("/v1/models", handlers.guarded(handlers::models));
        config.events.serverStopped(handlers::close);
    }
}
