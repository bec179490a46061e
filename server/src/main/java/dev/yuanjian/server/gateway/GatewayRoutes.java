package dev.yuanjian.server.gateway;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.keys.Gatekeeper;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the gateway's routes to a Javalin configuration; the gateway closes when the server stops. */
public final class GatewayRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);

    private GatewayRoutes() {
    }

    /**
     * The one line the server's routes file calls: models from config.yaml and the environment,
     * keys checked by the server's one {@code gatekeeper} (so a key's limits span every route).
     */
    public static Gateway install(JavalinConfig config, Yuanjian app, Gatekeeper gatekeeper) {
        Gateway gateway;
        try {
            gateway = Gateway.open(app, System.getenv());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info(gateway.describeBackends());
        install(config, gateway, gatekeeper);
        return gateway;
    }

    /** With a gateway and key checks built by the caller (tests, benchmarks). */
    public static void install(JavalinConfig config, Gateway gateway, Gatekeeper gatekeeper) {
        GatewayHandlers handlers = new GatewayHandlers(gateway, gatekeeper);
        config.routes.post("/v1/chat/completions", handlers.guarded(handlers::chat));
        config.routes.post("/v1/images/generations", handlers.guarded(handlers::images));
        config.routes.get("/v1/models", handlers.guarded(handlers::models));
        config.events.serverStopped(() -> {
            handlers.close();
            gateway.close();
        });
    }
}
