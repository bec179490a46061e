package dev.yuanjian.server;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.server.gateway.GatewayRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Every route of the server, in one place, each with the {@link Role} that may call it ({@link
 * AccessCheck} enforces them); the gateway's {@code /v1/} routes are declared the same way in
 * {@link GatewayRoutes}. Every failure is answered by {@link ErrorWriter}.
 */
final class Routes {
    /** {@code blob:} images: /verify shows a thumbnail of the user's own file from an object URL. */
    private static final String SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private Routes() {
    }

    static void install(JavalinConfig config, Yuanjian app) {
        Uploads uploads = new Uploads(app.settings().maxUploadBytes());
        DocumentHandlers documents = new DocumentHandlers(app, uploads, DocumentWork.forThisMachine());
        LogHandlers log = new LogHandlers(app);
        PrivacyHandlers privacy = new PrivacyHandlers(app);
        Pages pages = new Pages();
        Gatekeeper gatekeeper = app.gatekeeper();
        var routes = config.routes;

        // API keys: with none created, only this machine may label or generate; once one exists,
        // every such call needs a key with the scope. The check runs first, so that a caller without
        // access learns nothing else (not even that its upload is too large).
        // Browsers first: a foreign Host (DNS rebinding) or a cross-site Origin on a state-changing
        // request is refused before any route runs, so local trust cannot be borrowed by a web page.
        routes.before(new TrustedOrigins(app.settings().allowedHosts()));
        AccessCheck.install(config, gatekeeper);
        ErrorWriter errors = ErrorWriter.install(config, GatewayRoutes.ENDPOINTS);
        routes.before(Routes::securityHeaders);
        routes.beforeMatched("/api/v1/label", uploads::checkLength);
        routes.beforeMatched("/api/v1/verify", uploads::checkLength);
        routes.beforeMatched("/api/v1/propagate", uploads::checkLength);

        // Verifying is public unless configured not to be (settings publicVerify).
        Role verify = app.settings().publicVerify() ? Role.PUBLIC : Role.VERIFY;

        // Product API (JSON)
        routes.post("/api/v1/label", documents::label, Role.GENERATE);          // multipart: file, explicit, model, prompt
        routes.post("/api/v1/propagate", documents::propagate, Role.GENERATE);  // multipart: file, sidecar, level
        routes.post("/api/v1/verify", documents::verify, verify);               // multipart: file, sidecar
        routes.get("/api/v1/log/checkpoint", log::checkpointJson, Role.PUBLIC);
        routes.get("/api/v1/log/proof/{contentId}", log::proof, Role.PUBLIC);
        routes.get("/api/v1/log/consistency", log::consistency, Role.PUBLIC);   // ?from=N&to=M
        // Personal data: scanning and masking sit beside generating; erasing is administration.
        routes.post("/api/v1/pii/scan", privacy::scan, Role.GENERATE);          // JSON: ours or Presidio's analyzer request
        routes.post("/api/v1/pii/mask", privacy::mask, Role.GENERATE);          // JSON: text, conversation?
        routes.post("/api/v1/pii/forget", privacy::forget, Role.ADMIN);         // JSON: subject, type?

        // OpenAI-compatible /v1/* (gateway): chat, images, models, all Role.GENERATE
        GatewayRoutes.routes(config, app.gateway(), gatekeeper, errors);

        // The log as static C2SP tlog-tiles, for log clients and witnesses
        routes.get("/log/checkpoint", log::checkpointNote, Role.PUBLIC);
        routes.get("/log/tile/<path>", log::tile, Role.PUBLIC);                 // <L>/<N>[.p/<W>], entries/<N>[.p/<W>]

        // Operations
        routes.get("/healthz", log::health, Role.PUBLIC);

        // Web pages; their CSS and scripts are served from /assets/ (static files: public)
        routes.get("/", pages::index, Role.PUBLIC);
        routes.get("/verify", pages::verify, Role.PUBLIC);
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets";
            files.directory = "/web/assets";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", SECURITY_POLICY);
    }
}
