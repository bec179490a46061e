package dev.yuanjian.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.gateway.Caller;
import dev.yuanjian.gateway.ChatRequest;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.gateway.GatewayError;
import dev.yuanjian.gateway.ImageRequest;
import dev.yuanjian.gateway.Outcome;
import dev.yuanjian.gateway.ResponsesRequest;
import dev.yuanjian.gateway.Relayed;
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
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's handlers. Each runs to its end on the request's own thread (a virtual thread: see
 * {@link dev.yuanjian.server.Server#requestThreads}), so a thousand open streams or slow answers hold
 * a thousand cheap threads, and a response is never touched after Jetty completed and recycled it.
 * (Javalin's async mode did that: a call that outlived its request, after a disconnect or a server
 * stop, wrote into a recycled response, and Javalin retried the failing error handler forever.)
 */
final class GatewayHandlers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandlers.class);
    /** How long a stopping server lets calls end by themselves (their writes fail once Jetty closed the connections). */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** How long it then waits for interrupted calls; they end at once unless stuck outside any wait. */
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(10);

    private final Gateway gateway;
    private final Gatekeeper gatekeeper;
    private final ErrorWriter errors;
    private final ObjectMapper json = JsonViews.mapper();
    private final InFlight calls = new InFlight();

    GatewayHandlers(Gateway gateway, Gatekeeper gatekeeper, ErrorWriter errors) {
        this.gateway = gateway;
        this.gatekeeper = gatekeeper;
        this.errors = errors;
    }

    void models(Context ctx) {
        ctx.contentType("application/json").result(gateway.models().toString());
    }

    /** {@code GET /v1/models/{id}}: the model, or 404 {@code model_not_found} as OpenAI answers. */
    void model(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        JsonNode model = gateway.model(id).orElseThrow(() -> new GatewayError(404, "invalid_request_error",
                "model_not_found", "model", "The model '" + id + "' does not exist here. Models: "
                + String.join(", ", gateway.config().publicNames()), Optional.empty(), null));
        write(ctx, model);
    }

    void chat(Context ctx) throws IOException {
        ChatRequest request = ChatRequest.of(gateway.parse(body(ctx)), explicitHeader(ctx)).withCaller(caller(ctx));
        serve(ctx, request.stream(), () -> gateway.chat(request), sink -> gateway.stream(request, sink));
    }

    /** {@code POST /v1/responses}: the same keys, limits, charging and answers as chat. */
    void responses(Context ctx) throws IOException {
        ResponsesRequest request = ResponsesRequest.of(gateway.parse(body(ctx)), explicitHeader(ctx))
                .withCaller(caller(ctx));
        serve(ctx, request.stream(), () -> gateway.responses(request), sink -> gateway.responsesStream(request, sink));
    }

    /** {@code POST /v1/completions}, the legacy text completions: labelled and logged like chat. */
    void completions(Context ctx) throws IOException {
        ChatRequest request = Gateway.completionRequest(gateway.parse(body(ctx)), explicitHeader(ctx))
                .withCaller(caller(ctx));
        serve(ctx, request.stream(), () -> gateway.completions(request, Optional.empty()),
                sink -> gateway.completions(request, Optional.of(sink)));
    }

    /**
     * Who calls: the API key's id (or the local owner on a gateway without keys) and the conversation
     * the {@value Caller#CONVERSATION_HEADER} header names, so that one key's conversation is never
     * another's.
     */
    private static Caller caller(Context ctx) {
        Optional<ApiKey> key = AccessCheck.key(ctx);
        return Caller.of(key.map(ApiKey::id).orElse(Caller.LOCAL), key.map(ApiKey::name),
                Optional.ofNullable(ctx.header(Caller.CONVERSATION_HEADER)));
    }

    void embeddings(Context ctx) throws IOException {
        JsonNode request = gateway.parse(body(ctx));
        relayed(ctx, () -> {
            gateway.filterRelayed(request, caller(ctx));
            return gateway.passThrough().embeddings(request);
        });
    }

    void moderations(Context ctx) throws IOException {
        JsonNode request = gateway.parse(body(ctx));
        relayed(ctx, () -> {
            gateway.filterRelayed(request, caller(ctx));
            return gateway.passThrough().moderations(request);
        });
    }

    /** The multipart upload is read whole within {@code gateway.maxBodyMb}, then relayed with only {@code model} replaced. */
    void transcriptions(Context ctx) throws IOException {
        byte[] form = read(ctx);
        String type = ctx.header("Content-Type");
        relayed(ctx, () -> gateway.passThrough().transcriptions(form, type));
    }

    /** Generated audio: returned unchanged, its exact bytes logged, its label in X-AIGC-Label and X-Content-Id. */
    void speech(Context ctx) throws IOException {
        JsonNode request = gateway.parse(body(ctx));
        relayed(ctx, () -> gateway.passThrough().speech(request));
    }

    private void relayed(Context ctx, Supplier<Relayed> call) throws IOException {
        Optional<ApiKey> key = AccessCheck.key(ctx);
        try (InFlight.Call running = calls.enter()) {
            switch (call.get()) {
                case Relayed.Answered done -> {
                    done.output().ifPresent(logged -> {
                        ctx.header("X-AIGC-Label", logged.label().toBareJson());
                        ctx.header("X-Content-Id", logged.contentId());
                    });
                    ctx.status(200).contentType(done.contentType());
                    try {
                        ctx.outputStream().write(done.body());
                    } catch (IOException e) {
                        LOG.debug("the client went before its answer was written: {}", e.getMessage());
                    }
                    charge(key, done.tokens());
                }
                case Relayed.Failed failed -> errors.write(ctx, failed.error());
            }
        }
    }

    /** A call that generates (chat, legacy completions, responses): whole, or streamed to the client as it comes. */
    private void serve(Context ctx, boolean stream, Supplier<Outcome> whole, Function<StreamSink, Outcome> streamed)
            throws IOException {
        Optional<ApiKey> key = AccessCheck.key(ctx);
        try (InFlight.Call call = calls.enter()) {
            if (!stream) {
                Outcome outcome = whole.get();
                answer(ctx, outcome);
                charge(key, outcome);
                return;
            }
            ResponseSink sink = new ResponseSink(ctx);
            Outcome outcome = streamed.apply(sink);
            if (outcome instanceof Outcome.Failed failed) {
                errors.write(ctx, failed.error()); // nothing was sent yet: an ordinary error answer
            } else if (outcome instanceof Outcome.Streamed s && !s.finished()) {
                // One line per stream that ended early; a client that left is its own business.
                if (sink.gone()) {
                    LOG.debug("stream via {} ended early: {}", s.backend(), s.problem());
                } else {
                    LOG.info("stream via {} ended early: {}", s.backend(), s.problem());
                }
            }
            charge(key, outcome);
        }
    }

    void images(Context ctx) throws IOException {
        ImageRequest request = ImageRequest.of(gateway.parse(body(ctx)), explicitHeader(ctx));
        Optional<ApiKey> key = AccessCheck.key(ctx);
        try (InFlight.Call call = calls.enter()) {
            Outcome outcome = gateway.images(request);
            answer(ctx, outcome);
            charge(key, outcome);
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
        if (!(outcome instanceof Outcome.Failed)) {
            charge(key, outcome.tokens());
        }
    }

    private void charge(Optional<ApiKey> key, long tokens) {
        if (key.isPresent()) {
            try {
                gatekeeper.charge(key.get(), tokens);
            } catch (RuntimeException e) {
                LOG.warn("could not record token use of key {}: {}", key.get().id(), e.getMessage());
            }
        }
    }

    /** A JSON body, refused past the configured size (413) or when declared as another type (415). */
    private byte[] body(Context ctx) {
        boolean form = jsonOrForm(ctx.header("Content-Type"));
        byte[] body = read(ctx);
        if (form && !startsLikeJson(body)) {
            throw unsupportedType("form data (application/x-www-form-urlencoded)");
        }
        return body;
    }

    /** The body of any type, refused past the configured size before it is read in full (413). */
    private byte[] read(Context ctx) {
        long max = gateway.config().maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
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
            if (ErrorWriter.tooSlow(e)) {
                throw new java.io.UncheckedIOException(e); // the error writer answers 408 request_timeout
            }
            // The connection failed mid-body (the client reset it, most likely): say so, without our internals.
            throw GatewayError.invalid(null, "the request body could not be read: the connection failed while "
                    + "it was being sent; send the request again");
        }
    }

    /**
     * Which declared types a JSON body may come with, as OpenAI accepts them: {@code application/json}
     * (and {@code +json} types), none at all, and {@code application/x-www-form-urlencoded}, which
     * {@code curl -d} sends, when the body is in fact JSON (returns true: the caller checks the body).
     * Anything else is a 415. Browsers' cross-origin form posts never get here: {@code TrustedOrigins}
     * refuses a foreign Origin on every request that changes state.
     */
    private static boolean jsonOrForm(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        String type = header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return false;
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return true;
        }
        throw unsupportedType(header.strip());
    }

    private static boolean startsLikeJson(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{' || b == '[';
            }
        }
        return true; // empty: the parser says so
    }

    private static GatewayError unsupportedType(String what) {
        return new GatewayError(415, "invalid_request_error", "unsupported_media_type", null,
                "the request body was sent as " + (what.length() > 80 ? what.substring(0, 80) + "..." : what)
                        + "; the gateway takes a JSON body: "
                        + "send it with Content-Type: application/json", Optional.empty(), null);
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

    /**
     * Waits for the calls still running when the server stopped: {@link #GRACE} for them to end by
     * themselves, then interrupts the rest (an upstream wait ends at once, the stream is closed as
     * "the server is stopping") and waits {@link #AFTER_INTERRUPT} more. Logs one line if any is left.
     */
    @Override
    public void close() {
        int left = calls.stop(GRACE, AFTER_INTERRUPT);
        if (left > 0) {
            LOG.warn("{} gateway call(s) still running {} s after the server stopped", left,
                    GRACE.plus(AFTER_INTERRUPT).toSeconds());
        }
    }

    /**
     * Writes events straight to the servlet stream, flushing each so it leaves at once. The first
     * failed write means the client has gone: it and every later call throw {@link Gateway.ClientGone}
     * without touching the response again.
     */
    private static final class ResponseSink implements StreamSink {
        private final Context ctx;
        private ServletOutputStream out;
        private Gateway.ClientGone gone;

        ResponseSink(Context ctx) {
            this.ctx = ctx;
        }

        boolean gone() {
            return gone != null;
        }

        @Override
        public void open() throws IOException {
            check();
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream; charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no"); // nginx in front must not hold events back
            try {
                out = res.getOutputStream();
                out.flush();
            } catch (IOException | RuntimeException e) {
                throw gone(e);
            }
        }

        @Override
        public void send(byte[] event) throws IOException {
            check();
            try {
                out.write(event);
                out.flush();
            } catch (IOException | RuntimeException e) {
                throw gone(e);
            }
        }

        private void check() throws Gateway.ClientGone {
            if (gone != null) {
                throw gone;
            }
        }

        private Gateway.ClientGone gone(Exception e) {
            gone = new Gateway.ClientGone(e);
            return gone;
        }
    }
}
