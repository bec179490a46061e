package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * An error in OpenAI's shape: {@code {"error":{"message","type","param","code"}}} with its HTTP
 * status, so SDKs raise their usual exceptions (401 AuthenticationError, 429 RateLimitError...).
 * Thrown for bad requests; returned as data for routing failures.
 */
public final class GatewayError extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Optional<Duration> retryAfter;
    private final ObjectNode upstreamBody;

    public GatewayError(int status, String type, String code, String param, String message,
                        Optional<Duration> retryAfter, ObjectNode upstreamBody) {
        super(message, null, false, false); // expected outcomes: no stack trace to fill
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
        this.upstreamBody = upstreamBody;
    }

    public static GatewayError invalid(String param, String message) {
        return new GatewayError(400, "invalid_request_error", "invalid_request", param, message, Optional.empty(), null);
    }

    public static GatewayError of(int status, String type, String code, String message) {
        return new GatewayError(status, type, code, null, message, Optional.empty(), null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The JSON body; an upstream's own error body when it refused the request (passed through). */
    public ObjectNode toJson(ObjectMapper json) {
        if (upstreamBody != null) {
            return upstreamBody;
        }
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return root;
    }
}
