package dev.yuanjian.server;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.keys.Access;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.container.UnsupportedFormatException;
import dev.yuanjian.server.gateway.GatewayRoutes;
import io.javalin.http.Handler;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the server, in one place. Handlers are plain methods of the classes beside this
 * one; the error mapping at the end turns every failure into {@code {"error":{"code","message"}}}.
 */
final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private static final String SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private Routes() {
    }

    /** Refuses the request (401, 403 or 429, with Retry-After) unless its key, or its locality, admits it. */
    private static Handler requireScope(Gatekeeper gatekeeper, Scope scope) {
        return ctx -> {
            if (gatekeeper.admit(ctx.header("Authorization"), Peers.isLocal(ctx), scope) instanceof Access.Denied denied) {
                denied.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
                throw new HttpResponseException(denied.status(), denied.message(), Map.of("code", denied.code()));
            }
        };
    }

    static void install(JavalinConfig config, Yuanjian app) {
        Uploads uploads = new Uploads(app.settings().maxUploadBytes());
        DocumentHandlers documents = new DocumentHandlers(app, uploads);
        LogHandlers log = new LogHandlers(app);
        Pages pages = new Pages();
        Gatekeeper gatekeeper = app.gatekeeper();
        var routes = config.routes;

        routes.before(Routes::securityHeaders);
        // API keys: with none created, only this machine may label or generate; once one exists,
        // every such call needs a key with the scope. Verifying is public unless configured not to be.
        routes.before("/api/v1/label", requireScope(gatekeeper, Scope.GENERATE));
        routes.before("/api/v1/propagate", requireScope(gatekeeper, Scope.GENERATE));
        if (!app.settings().publicVerify()) {
            routes.before("/api/v1/verify", requireScope(gatekeeper, Scope.VERIFY));
        }
        routes.before("/api/v1/label", uploads::checkLength);
        routes.before("/api/v1/verify", uploads::checkLength);
        routes.before("/api/v1/propagate", uploads::checkLength);

        // Product API (JSON)
        routes.post("/api/v1/label", documents::label);              // multipart: file, explicit, model, prompt
        routes.post("/api/v1/propagate", documents::propagate);      // multipart: file, sidecar, level
        routes.post("/api/v1/verify", documents::verify);            // multipart: file, sidecar
        routes.get("/api/v1/log/checkpoint", log::checkpointJson);
        routes.get("/api/v1/log/proof/{contentId}", log::proof);
        routes.get("/api/v1/log/consistency", log::consistency);     // ?from=N&to=M

        GatewayRoutes.install(config, app.gateway(), gatekeeper);    // OpenAI-compatible /v1/* (gateway)

        // The log as static C2SP tlog-tiles, for log clients and witnesses
        routes.get("/log/checkpoint", log::checkpointNote);
        routes.get("/log/tile/<path>", log::tile);                   // <L>/<N>[.p/<W>], entries/<N>[.p/<W>]

        // Operations
        routes.get("/healthz", log::health);

        // Web pages; their CSS and scripts are served from /assets/
        routes.get("/", pages::index);
        routes.get("/verify", pages::verify);
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets";
            files.directory = "/web/assets";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });

        // Errors: always JSON, always the shape of JsonViews.error
        routes.exception(HttpResponseException.class, (e, ctx) ->
                error(ctx, e.getStatus(), e.getDetails().getOrDefault("code", codeFor(e.getStatus())), e.getMessage()));
        // A format we do not label is 415; a broken file of a format we do label is 422.
        routes.exception(UnsupportedFormatException.class, (e, ctx) -> error(ctx, 415, "unsupported_format", e.getMessage()));
        routes.exception(FormatException.class, (e, ctx) -> error(ctx, 422, "invalid_file", e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            // The client gets a reference, not our internals; the log gets the stack trace under it.
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
            error(ctx, 500, "internal_error", "the server failed to handle this request (reference "
                    + reference + "); it is still running, and the operator's log has the details");
        });
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", SECURITY_POLICY);
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status);
        if (ctx.method() == HandlerType.POST && ctx.attribute(Uploads.BODY_CONSUMED) == null) {
            // An upload refused early leaves part of its body unread on the connection: close it,
            // so that the client does not send its next request down a connection Jetty drops.
            ctx.header("Connection", "close");
        }
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        ctx.json(JsonViews.error(code, message));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 411 -> "length_required";
            case 413 -> "too_large";
            case 415 -> "unsupported_format";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }
}
