package dev.yuanjian.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers, in JSON: the requests it refuses before any route runs (an ambiguous path, an
 * absurd or doubled Content-Length, a head over the size limits, a broken request line or Host, a
 * body that arrives too slowly) come back in the same shapes as {@link ErrorWriter}'s, with the
 * status Jetty chose. Jetty's reason is quoted (made printable) so the caller learns what was wrong;
 * a 5xx never shows internals.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final int maxHeadBytes;

    /** @param maxHeadBytes the request head limit in bytes, named in 414 and 431 answers */
    JsonErrorHandler(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /** Every method gets a body (Jetty's default leaves out all but GET, POST and HEAD). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = bytes(ErrorWriter.shaped(path(request), code, ErrorWriter.codeFor(code), describe(code, message)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Answers written by the connection itself, before there is a request to speak of. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(bytes(ErrorWriter.shaped(null, status, ErrorWriter.codeFor(status), describe(status, reason))));
    }

    /** The raw path, or null when the request line could not be read (then the product's shape is used). */
    private static String path(Request request) {
        try {
            HttpURI uri = request.getHttpURI();
            return uri == null ? null : uri.getPath();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** What was wrong and what to do, by status; Jetty's reason says which rule the request broke. */
    String describe(int status, String reason) {
        String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : LogHandlers.printable(reason);
        int kib = Math.max(1, maxHeadBytes >> 10);
        return switch (status) {
            case 400 -> "the request is not well-formed HTTP (" + why + "). Send one Host header, at most one "
                    + "Content-Length of digits (or chunked), and a path without encoded '/', '\\', '.' or ';' segments";
            case 408 -> "the request did not arrive in time (" + why + "); send it again without pauses";
            case 413 -> "the request is larger than this server accepts (" + why + ")";
            case 414 -> "the request line is longer than this server reads (" + kib + " KiB); send long values in the body";
            case 431 -> "the request's headers are larger than this server reads (" + kib + " KiB in all)";
            case 426, 505 -> "only HTTP/1.0 and HTTP/1.1 are served (" + why + ")";
            default -> status >= 500
                    ? "the server could not handle this request; it is still running, and the operator's log has the details"
                    : why;
        };
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JsonViews.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body did not serialise", e);
        }
    }
}
