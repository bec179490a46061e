package dev.yuanjian.server.gateway;

import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.server.AccessCheck;
import dev.yuanjian.server.ErrorWriter;
import dev.yuanjian.server.Role;
import dev.yuanjian.server.Server;
import io.javalin.config.JavalinConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the gateway's routes to a Javalin configuration. The product owns the gateway and closes it. */
public final class GatewayRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);

    /** The routes {@link #routes} adds, as an unknown {@code /v1/} path or a wrong method lists them. */
    public static final List<String> ENDPOINTS = List.of(
            "POST /v1/chat/completions", "POST /v1/responses", "POST /v1/completions", "POST /v1/images/generations",
            "POST /v1/embeddings", "POST /v1/moderations", "POST /v1/audio/transcriptions", "POST /v1/audio/speech",
            "GET /v1/models", "GET /v1/models/<id>");

    private GatewayRoutes() {
    }

    /**
     * The gateway alone on a Javalin (benchmarks, tests): its routes with the access check and the
     * error writer over the product's one {@code gatekeeper}, on the server's threads (requests on
     * virtual threads: {@link Server#requestThreads()}), since every call blocks its thread to its end.
     */
    public static void install(JavalinConfig config, Gateway gateway, Gatekeeper gatekeeper) {
        config.jetty.threadPool = Server.requestThreads();
        AccessCheck.install(config, gatekeeper);
        routes(config, gateway, gatekeeper, ErrorWriter.install(config, ENDPOINTS));
    }

    /**
     * The gateway's routes on a server that has installed {@link AccessCheck} and {@link ErrorWriter}
     * itself. Over the product's one {@code gatekeeper}, so a key's limits span every route.
     */
    public static void routes(JavalinConfig config, Gateway gateway, Gatekeeper gatekeeper, ErrorWriter errors) {
        LOG.info(gateway.describeBackends());
        GatewayHandlers handlers = new GatewayHandlers(gateway, gatekeeper, errors);
        config.routes.post("/v1/chat/completions", handlers::chat, Role.GENERATE);
        config.routes.post("/v1/responses", handlers::responses, Role.GENERATE);
        config.routes.post("/v1/images/generations", handlers::images, Role.GENERATE);
        config.routes.post("/v1/completions", handlers::completions, Role.GENERATE);
        config.routes.post("/v1/embeddings", handlers::embeddings, Role.GENERATE);
        config.routes.post("/v1/moderations", handlers::moderations, Role.GENERATE);
        config.routes.post("/v1/audio/transcriptions", handlers::transcriptions, Role.GENERATE);
        config.routes.post("/v1/audio/speech", handlers::speech, Role.GENERATE);
        config.routes.get("/v1/models", handlers::models, Role.GENERATE);
        // <id>, not {id}: public model names may contain slashes (Qwen/Qwen2.5-7B-Instruct).
        config.routes.get("/v1/models/<id>", handlers::model, Role.GENERATE);
        // After Jetty has closed every connection: calls still running end (see GatewayHandlers.close).
        config.events.serverStopped(handlers::close);
    }
}
