package dev.yuanjian.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.gateway.ChatRequest;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.gateway.GatewayError;
import dev.yuanjian.gateway.ImageRequest;
import dev.yuanjian.gateway.Outcome;
import dev.yuanjian.gateway.StreamSink;
import dev.yuanjian.keys.Access;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.server.Peers;
import dev.yuanjian.keys.Scope;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's handlers. Model calls run on virtual threads (Javalin's async mode), so a thousand
 * open streams or slow answers hold a thousand cheap threads, not the server's request pool.
 */
final class GatewayHandlers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandlers.class);

    private final Gateway gateway;
    private final Gatekeeper gatekeeper;
    private final ObjectMapper json = JsonViews.mapper();
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("gateway-call-", 0).factory());

    GatewayHandlers(Gateway gateway, Gatekeeper gatekeeper) {
        this.gateway = gateway;
        this.gatekeeper = gatekeeper;
    }

    /**
     * Any failure the handlers did not expect still reaches the client in OpenAI's error shape
     * (SDKs parse nothing else), with a reference the operator finds in the log.
     */
    io.javalin.http.Handler guarded(io.javalin.http.Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                fail(ctx, e);
            }
        };
    }

    private void fail(Context ctx, Exception e) {
        if (e instanceof GatewayError expected) {
            error(ctx, expected);
            return;
        }
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
        error(ctx, GatewayError.of(500, "server_error", "internal_error", "the gateway failed to handle this "
                + "request (reference " + reference + "); it is still running"));
    }

    void models(Context ctx) {
        Optional<Access.Granted> granted = admit(ctx, Scope.GENERATE);
        if (granted.isPresent()) {
            ctx.contentType("application/json").result(gateway.models().toString());
        }
    }

    void chat(Context ctx) {
        Optional<Access.Granted> granted = admit(ctx, Scope.GENERATE);
        if (granted.isEmpty()) {
            return;
        }
        ChatRequest request;
        try {
            request = ChatRequest.of(gateway.parse(body(ctx)), explicitHeader(ctx));
        } catch (GatewayError e) {
            error(ctx, e);
            return;
        }
        Optional<ApiKey> key = granted.get().key();
        if (!request.stream()) {
            onVirtualThread(ctx, () -> {
                Outcome outcome = gateway.chat(request);
                answer(ctx, outcome);
                charge(key, outcome);
            });
            return;
        }
        onVirtualThread(ctx, () -> {
            Outcome outcome = gateway.stream(request, new ResponseSink(ctx));
            if (outcome instanceof Outcome.Failed failed) {
                error(ctx, failed.error());
            } else if (outcome instanceof Outcome.Streamed s && !s.finished()) {
                LOG.info("stream via {} ended early: {}", s.backend(), s.problem());
            }
            charge(key, outcome);
        });
    }

    void images(Context ctx) {
        Optional<Access.Granted> granted = admit(ctx, Scope.GENERATE);
        if (granted.isEmpty()) {
            return;
        }
        ImageRequest request;
        try {
            request = ImageRequest.of(gateway.parse(body(ctx)));
        } catch (GatewayError e) {
            error(ctx, e);
            return;
        }
        onVirtualThread(ctx, () -> {
            Outcome outcome = gateway.images(request);
            answer(ctx, outcome);
            charge(granted.get().key(), outcome);
        });
    }

    /**
     * Runs a model call off the server's request threads: a call may wait a minute for a model, and
     * a few hundred such waits must not starve the rest of the server (pages, verify, the log).
     * No Javalin timeout: the gateway's own timeouts end every call.
     */
    private void onVirtualThread(Context ctx, io.javalin.util.function.ThrowingRunnable<Exception> task) {
        ctx.async(config -> {
            config.executor = calls;
            config.timeout = 0;
        }, () -> {
            try {
                task.run();
            } catch (Exception e) {
                fail(ctx, e);
            }
        });
    }

    private void answer(Context ctx, Outcome outcome) throws IOException {
        switch (outcome) {
            case Outcome.Completed done -> {
                if (!done.labelHeader().isEmpty()) {
                    ctx.header("X-AIGC-Label", done.labelHeader());
                }
                if (!done.contentIds().isEmpty()) {
                    ctx.header("X-Content-Id", done.contentIds().getFirst());
                }
                write(ctx, done.body());
            }
            case Outcome.Failed failed -> error(ctx, failed.error());
            case Outcome.Streamed s -> throw new IllegalStateException("a non-streaming call streamed");
        }
    }

    /**
     * Writes the answer straight to Javalin's output stream (which still compresses when the client
     * asks). {@code result(bytes)} would copy it once more through a fresh 32 KB buffer per call,
     * and {@code toString()} would encode it twice (JSON to a String, the String to UTF-8): together
     * about a fifth of the gateway's garbage per call, measured with JFR.
     */
    private void write(Context ctx, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ctx.status(200).contentType("application/json");
        try {
            ctx.outputStream().write(bytes);
        } catch (IOException e) {
            LOG.debug("the client went before its answer was written: {}", e.getMessage());
        }
    }

    private void charge(Optional<ApiKey> key, Outcome outcome) {
        if (key.isPresent() && !(outcome instanceof Outcome.Failed)) {
            try {
                gatekeeper.charge(key.get(), outcome.tokens());
            } catch (RuntimeException e) {
                LOG.warn("could not record token use of key {}: {}", key.get().id(), e.getMessage());
            }
        }
    }

    private Optional<Access.Granted> admit(Context ctx, Scope scope) {
        Access access = gatekeeper.admit(ctx.header("Authorization"), Peers.isLocal(ctx), scope);
        return switch (access) {
            case Access.Granted granted -> Optional.of(granted);
            case Access.Denied denied -> {
                String type = switch (denied.status()) {
                    case 401 -> "invalid_request_error";
                    case 403 -> "permission_error";
                    default -> "rate_limit_error";
                };
                error(ctx, new GatewayError(denied.status(), type, denied.code(), null, denied.message(),
                        denied.retryAfter(), null));
                yield Optional.empty();
            }
        };
    }


    /** The body, refused past the configured size before it is read in full (413). */
    private byte[] body(Context ctx) {
        long max = gateway.config().maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        String type = ctx.header("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw GatewayError.invalid(null, "send the request as application/json (got " + type + ")");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > max) {
                    throw tooLarge(max);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw GatewayError.invalid(null, "the request body could not be read: " + e.getMessage());
        }
    }

    private static GatewayError tooLarge(long max) {
        return new GatewayError(413, "invalid_request_error", "request_too_large", null,
                "the request body is larger than " + (max >> 20) + " MB (gateway.maxBodyMb)", Optional.empty(), null);
    }

    private static Optional<Boolean> explicitHeader(Context ctx) {
        String v = ctx.header("X-AIGC-Explicit-Label");
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> Optional.of(true);
            case "0", "false", "no", "off" -> Optional.of(false);
            default -> throw GatewayError.invalid(null, "X-AIGC-Explicit-Label must be true or false");
        };
    }

    private void error(Context ctx, GatewayError e) {
        ctx.status(e.status());
        if (e.status() == 413) {
            // The rest of the body stays unread: this connection cannot carry another request.
            ctx.header("Connection", "close");
        }
        e.retryAfter().ifPresent(d -> ctx.header("Retry-After", Long.toString(Math.max(1, ceilSeconds(d)))));
        ctx.contentType("application/json").result(e.toJson(json).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static long ceilSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** Writes events straight to the servlet stream, flushing each so it leaves at once. */
    private static final class ResponseSink implements StreamSink {
        private final Context ctx;
        private ServletOutputStream out;

        ResponseSink(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void open() throws IOException {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream; charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no"); // nginx in front must not hold events back
            try {
                out = res.getOutputStream();
                out.flush();
            } catch (IOException e) {
                throw new Gateway.ClientGone(e);
            }
        }

        @Override
        public void send(byte[] event) throws IOException {
            try {
                out.write(event);
                out.flush();
            } catch (IOException e) {
                throw new Gateway.ClientGone(e);
            }
        }
    }
}
