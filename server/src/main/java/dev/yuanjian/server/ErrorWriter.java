package dev.yuanjian.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.c2pa.TimeStamper;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.UnsupportedFormatException;
import dev.yuanjian.gateway.GatewayError;
import dev.yuanjian.privacy.MaskingRefused;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.EndpointNotFound;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the server answers, in the shape its caller parses: under {@code /v1/} OpenAI's
 * {@code {"error":{"message","type","param","code"}}} (SDKs read nothing else), everywhere else the
 * product's {@code {"error":{"code","message"}}} from {@link JsonViews#error}. The status and the
 * code are the same in both.
 */
public final class ErrorWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorWriter.class);
    /** Request attribute: the whole body was read, so the connection can stay open after an error. */
    private static final String BODY_CONSUMED = "yuanjian.bodyConsumed";

    private final List<String> openAiEndpoints;
    private final ObjectMapper json = JsonViews.mapper();

    /** @param openAiEndpoints the {@code /v1/} endpoints, e.g. {@code "GET /v1/models"}, named when a caller misses them */
    ErrorWriter(List<String> openAiEndpoints) {
        this.openAiEndpoints = List.copyOf(openAiEndpoints);
    }

    /** Answers every exception a handler of {@code config} throws; handlers that answer off the request thread call {@link #write} themselves. */
    public static ErrorWriter install(JavalinConfig config, List<String> openAiEndpoints) {
        ErrorWriter writer = new ErrorWriter(openAiEndpoints);
        // Javalin maps its own HttpResponseExceptions (404, 405...) before a handler for Exception: name it too.
        config.routes.exception(HttpResponseException.class, writer::write);
        config.routes.exception(Exception.class, writer::write);
        return writer;
    }

    /**
     * True when a failed read of the request body means the client sent it too slowly (the server's
     * minimum data rate): {@link #write} answers such a failure 408 {@code request_timeout}.
     */
    public static boolean tooSlow(Throwable readFailure) {
        return SlowClients.tooSlow(readFailure).isPresent();
    }

    /**
     * Marks the request body as read to its end: an error after that need not close the connection.
     * An error answered before (a refused upload, a missing key) leaves the body on the connection,
     * and the client is told to open a new one rather than send its next request down one Jetty drops.
     */
    public static void bodyConsumed(Context ctx) {
        ctx.attribute(BODY_CONSUMED, true);
    }

    /**
     * Answers {@code failure}: an expected refusal with its status, anything else as a 500 with a
     * reference. Never throws: Javalin runs a failing exception handler's exception through the
     * handlers again, without end (a response that can no longer be written looped that way).
     */
    public void write(Exception failure, Context ctx) {
        try {
            answer(failure, ctx);
        } catch (RuntimeException e) {
            LOG.debug("could not answer {}: {}", failure.getClass().getSimpleName(), e.toString());
        }
    }

    private void answer(Exception failure, Context ctx) {
        switch (failure) {
            case AccessCheck.Refused refused -> {
                refused.denied().retryAfter().ifPresent(wait -> retryAfter(ctx, wait));
                write(ctx, refused.denied().status(), refused.denied().code(), refused.getMessage());
            }
            case GatewayError e -> write(ctx, e);
            // Too many values to store (413), or the vault key missing (503): the message names the remedy.
            case MaskingRefused e -> write(ctx, e.reason() == MaskingRefused.Reason.TOO_MANY_VALUES ? 413 : 503,
                    e.reason().code(), e.getMessage());
            // OpenAI's own answer to a path or method it does not serve: invalid_request_error, code unknown_url.
            case EndpointNotFound e when openAi(ctx) -> write(ctx, 404, "unknown_url", "Invalid URL ("
                    + ctx.method() + " " + LogHandlers.printable(ctx.path()) + "). This gateway serves " + endpoints());
            case MethodNotAllowedResponse e when openAi(ctx) -> write(ctx, 405, "unknown_url", "Invalid URL ("
                    + ctx.method() + " " + LogHandlers.printable(ctx.path()) + "): the method is not allowed there. "
                    + "This gateway serves " + endpoints());
            case HttpResponseException e ->
                    write(ctx, e.getStatus(), e.getDetails().getOrDefault("code", codeFor(e.getStatus())), e.getMessage());
            case Exception e when SlowClients.tooSlow(e).isPresent() -> write(SlowClients.tooSlow(e).get(), ctx);
            // A format we do not label is 415; a broken file of a format we do label is 422.
            case UnsupportedFormatException e -> write(ctx, 415, "unsupported_format", e.getMessage());
            case FormatException e -> write(ctx, 422, "invalid_file", e.getMessage());
            // The deployment's Time-Stamp Authority failed before anything was logged: the file can be sent again.
            case java.io.UncheckedIOException e when e.getCause() instanceof TimeStamper.TimeStampException tsa ->
                    write(ctx, 503, "time_stamp_unavailable", tsa.getMessage());
            default -> {
                // The client gets a reference, not our internals; the log gets the stack trace under it.
                String reference = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, failure);
                write(ctx, 500, "internal_error", "the server failed to handle this request (reference "
                        + reference + "); it is still running, and the operator's log has the details");
            }
        }
    }

    /** Answers a gateway error; under {@code /v1/} an upstream's own error body passes through as it came. */
    public void write(Context ctx, GatewayError e) {
        e.retryAfter().ifPresent(wait -> retryAfter(ctx, wait));
        send(ctx, e.status(), openAi(ctx) ? e.toJson(json) : JsonViews.error(e.code(), e.getMessage()));
    }

    private void write(Context ctx, int status, String code, String message) {
        send(ctx, status, shaped(ctx.path(), status, code, message));
    }

    /**
     * The error body for a request to {@code path} (null when it could not be read): OpenAI's shape
     * under {@code /v1/}, the product's elsewhere. The one place the two shapes are chosen, for
     * Javalin's handlers and for {@link JsonErrorHandler} alike.
     */
    static ObjectNode shaped(String path, int status, String code, String message) {
        return openAi(path) ? GatewayError.of(status, openAiType(status, code), code, message).toJson(JsonViews.mapper())
                : JsonViews.error(code, message);
    }

    private void send(Context ctx, int status, ObjectNode body) {
        if (ctx.res().isCommitted()) {
            // A stream already under way (status 200 sent): an error body now would corrupt it.
            LOG.debug("not answering {} {} with {}: the response is already committed", ctx.method(), ctx.path(), status);
            return;
        }
        ctx.status(status);
        if (ctx.method() == HandlerType.POST && ctx.attribute(BODY_CONSUMED) == null) {
            ctx.header("Connection", "close");
        }
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        try {
            ctx.contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body did not serialise", e);
        }
    }

    private static boolean openAi(Context ctx) {
        return openAi(ctx.path());
    }

    private static boolean openAi(String path) {
        return path != null && path.startsWith("/v1/");
    }

    private String endpoints() {
        return String.join(", ", openAiEndpoints) + ".";
    }

    /** Never earlier than the limit allows: a client that waits the whole seconds given is served. */
    private static void retryAfter(Context ctx, Duration wait) {
        ctx.header("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    /**
     * OpenAI's error types by status. A missing or wrong key is {@code invalid_request_error} as
     * OpenAI's own API answers it; an exhausted budget is {@code insufficient_quota} (type and code,
     * status 429) as OpenAI's is. SDKs choose their exception by the status.
     */
    private static String openAiType(int status, String code) {
        if ("insufficient_quota".equals(code)) {
            return "insufficient_quota";
        }
        return switch (status) {
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /** The error code for a bare status, when nothing more specific is known. */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_format";
            case 426 -> "upgrade_required";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }
}
