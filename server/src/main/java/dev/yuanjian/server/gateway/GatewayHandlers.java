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
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.server.AccessCheck;
import dev.yuanjian.server.ErrorWriter;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's handlers. Model calls run on the request's own virtual thread (the server runs every
 * handler on one), so a thousand open streams or slow answers hold a thousand cheap threads, not the
 * server's platform pool.
 */
final class GatewayHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandlers.class);

    private final Gateway gateway;
    private final Gatekeeper gatekeeper;
    private final ErrorWriter errors;
    private final ObjectMapper json = JsonViews.mapper();

    GatewayHandlers(Gateway gateway, Gatekeeper gatekeeper, ErrorWriter errors) {
        this.gateway = gateway;
        this.gatekeeper = gatekeeper;
        this.errors = errors;
    }

    void models(Context ctx) {
        ctx.contentType("application/json").result(gateway.models().toString());
    }

    void chat(Context ctx) {
        ChatRequest request = ChatRequest.of(gateway.parse(body(ctx)), explicitHeader(ctx));
        Optional<ApiKey> key = AccessCheck.key(ctx);
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
                errors.write(ctx, failed.error());
            } else if (outcome instanceof Outcome.Streamed s && !s.finished()) {
                LOG.info("stream via {} ended early: {}", s.backend(), s.problem());
            }
            charge(key, outcome);
        });
    }

    void images(Context ctx) {
        ImageRequest request = ImageRequest.of(gateway.parse(body(ctx)));
        Optional<ApiKey> key = AccessCheck.key(ctx);
        onVirtualThread(ctx, () -> {
            Outcome outcome = gateway.images(request);
            answer(ctx, outcome);
            charge(key, outcome);
        });
    }

    /**
     * Runs a model call on the request's thread, which is virtual ({@code Server} gives Jetty a
     * virtual-thread executor): a call may wait a minute for a model, and a few hundred such waits
     * hold only cheap threads, so the rest of the server (pages, verify, the log) is not starved.
     * Handing the call to another virtual thread (Javalin's async mode) cost a second thread, a
     * future and a dispatch back per call for nothing. No timeout here: the gateway's own end every call.
     */
    private void onVirtualThread(Context ctx, io.javalin.util.function.ThrowingRunnable<Exception> task) {
        try {
            task.run();
        } catch (Exception e) {
            errors.write(e, ctx);
        }
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
            case Outcome.Failed failed -> errors.write(ctx, failed.error());
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
            ErrorWriter.bodyConsumed(ctx);
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
