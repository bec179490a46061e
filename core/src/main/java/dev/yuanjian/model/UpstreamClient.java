package dev.yuanjian.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls to one backend over HTTP/1.1 (what model servers speak; keep-alive connections are pooled
 * by the JDK client). Every failure comes back as an {@link Attempt.Failed}, never an exception,
 * so the router can decide what to try next.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Largest event line accepted from a stream: a chunk carries a few tokens, not megabytes. */
    static final int MAX_EVENT_LINE = 1 << 20;
    /** Largest non-streaming answer: 4 images of 4 MB in base64 fit. */
    static final int MAX_BODY = 64 << 20;
    private static final int MAX_ERROR_BODY = 64 << 10;

    private final HttpClient client;
    private final ModelConfig.Timeouts timeouts;
    private final ObjectMapper json;

    public UpstreamClient(ModelConfig.Timeouts timeouts, ObjectMapper json) {
        this.timeouts = timeouts;
        this.json = json;
        this.client = HttpClient.newBuilder()
                // Completions and body delivery run on the client's own selector thread (or on the
                // caller's, when it asks for more): every subscriber here only queues bytes and never
                // blocks, and the caller waits on its own virtual thread. A thread per delivery (the
                // default pool, or a virtual thread each) cost a hand-off and a wake-up per step.
                .executor(Runnable::run)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * POSTs JSON and reads a JSON answer within {@code timeout} or the first-byte timeout, whichever
     * is shorter (headers and body together).
     */
    public Attempt<JsonNode> postJson(Backend backend, String path, byte[] body, Duration timeout) {
        // One attempt may take up to firstByte (a non-streaming answer starts when it is complete).
        Duration limit = timeout.compareTo(timeouts.firstByte()) < 0 ? timeout : timeouts.firstByte();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request(backend, path, body,
                "application/json", limit), info -> new LimitedBody(MAX_BODY));
        HttpResponse<byte[]> response;
        try {
            response = future.get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Attempt.failed(Attempt.Failure.Kind.TIMEOUT, 0, Optional.empty(),
                    backend.id() + " did not finish its answer within " + limit.toMillis() + " ms", new byte[0]);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Attempt.failed(Attempt.Failure.Kind.CONNECTION, 0, Optional.empty(),
                    "interrupted while calling " + backend.id(), new byte[0]);
        } catch (ExecutionException | CancellationException e) {
            return Attempt.failed(kindOf(e), 0, Optional.empty(), describe(backend, e, limit), new byte[0]);
        }
        if (response.statusCode() != 200) {
            byte[] errorBody = response.body().length > MAX_ERROR_BODY
                    ? java.util.Arrays.copyOf(response.body(), MAX_ERROR_BODY) : response.body();
            return statusFailure(response.statusCode(), response.headers(), errorBody);
        }
        try {
            JsonNode node = json.readTree(response.body());
            if (node == null || !node.isObject()) {
                return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                        backend.id() + " answered 200 with something other than a JSON object", new byte[0]);
            }
            return new Attempt.Answered<>(node);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                    backend.id() + " answered 200 with invalid JSON (" + why + ")", new byte[0]);
        }
    }

    /**
     * An answer passed on as it came: {@code status} 200 (or, from {@link #fetch}, a redirect with its
     * {@code location}), the upstream's {@code Content-Type} (empty when it sent none) and the body.
     */
    public record Reply(int status, String contentType, Optional<String> location, byte[] body) {
    }

    /**
     * POSTs {@code body} as {@code contentType} and reads the whole answer, whatever its type, within
     * {@code timeout} or the first-byte timeout, whichever is shorter: the pass-through endpoints
     * (embeddings, audio), whose answers are relayed as they came. A status other than 200 is a
     * failure, as for {@link #postJson}.
     */
    public Attempt<Reply> post(Backend backend, String path, byte[] body, String contentType, Duration timeout) {
        Duration limit = timeout.compareTo(timeouts.firstByte()) < 0 ? timeout : timeouts.firstByte();
        HttpRequest request = request(backend, path, body, "*/*", limit, contentType);
        Attempt<HttpResponse<byte[]>> sent = exchange(request, MAX_BODY, backend.id(), limit);
        if (!(sent instanceof Attempt.Answered<HttpResponse<byte[]>> ok)) {
            return ((Attempt.Failed<HttpResponse<byte[]>>) sent).retype();
        }
        HttpResponse<byte[]> response = ok.value();
        if (response.statusCode() != 200) {
            byte[] errorBody = response.body().length > MAX_ERROR_BODY
                    ? java.util.Arrays.copyOf(response.body(), MAX_ERROR_BODY) : response.body();
            return statusFailure(response.statusCode(), response.headers(), errorBody);
        }
        return new Attempt.Answered<>(new Reply(200, response.headers().firstValue("Content-Type").orElse(""),
                Optional.empty(), response.body()));
    }

    /**
     * GETs {@code uri} without credentials and without following redirects (the caller checks each
     * hop), reading at most {@code maxBytes} within {@code timeout}. A 200 or a redirect with a
     * {@code Location} is answered; anything else is a failure naming the status.
     */
    public Attempt<Reply> fetch(URI uri, int maxBytes, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "image/*").GET().build();
        Attempt<HttpResponse<byte[]>> sent = exchange(request, maxBytes, uri.getHost(), timeout);
        if (!(sent instanceof Attempt.Answered<HttpResponse<byte[]>> ok)) {
            return ((Attempt.Failed<HttpResponse<byte[]>>) sent).retype();
        }
        HttpResponse<byte[]> response = ok.value();
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("Location");
        if (status == 200 || (status >= 300 && status < 400 && location.isPresent())) {
            return new Attempt.Answered<>(new Reply(status, response.headers().firstValue("Content-Type").orElse(""),
                    location, response.body()));
        }
        return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, status, Optional.empty(),
                uri.getHost() + " answered " + status + " for an image URL", new byte[0]);
    }

    /** Sends {@code request} and reads its whole body (at most {@code maxBytes}) within {@code limit}. */
    private Attempt<HttpResponse<byte[]>> exchange(HttpRequest request, int maxBytes, String who, Duration limit) {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new LimitedBody(maxBytes));
        try {
            return new Attempt.Answered<>(future.get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Attempt.failed(Attempt.Failure.Kind.TIMEOUT, 0, Optional.empty(),
                    who + " did not finish its answer within " + limit.toMillis() + " ms", new byte[0]);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Attempt.failed(Attempt.Failure.Kind.CONNECTION, 0, Optional.empty(),
                    "interrupted while calling " + who, new byte[0]);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof LimitedBody.TooLarge tooLarge) {
                return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                        who + ": " + tooLarge.getMessage(), new byte[0]);
            }
            return Attempt.failed(kindOf(e), 0, Optional.empty(), describe(who, e, limit), new byte[0]);
        }
    }

    /**
     * POSTs a streaming request and returns once the first event has arrived: until then nothing
     * has reached the client and the router may still try elsewhere.
     */
    public Attempt<UpstreamStream> openStream(Backend backend, String path, byte[] body) {
        long deadline = System.nanoTime() + timeouts.firstByte().toNanos();
        Exchange exchange = send(backend, path, body, "text/event-stream", timeouts.firstByte());
        if (exchange.failed != null) {
            return exchange.failure();
        }
        if (exchange.status != 200) {
            return statusFailure(exchange, deadline);
        }
        SseReader reader = new SseReader(exchange.body, MAX_EVENT_LINE);
        try {
            SseReader.Event first;
            do {
                first = reader.next(deadline - System.nanoTime());
            } while (first != null && first.data() == null); // keep-alives before the first data event are dropped
            if (first == null) {
                return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                        backend.id() + " ended the stream before sending any event", new byte[0]);
            }
            // Nothing has reached the client yet: a first event that is broken or an error is still
            // a failure the router may retry elsewhere, not something to relay.
            if (!first.isDone()) {
                JsonNode chunk;
                try {
                    // Strict: anything after the JSON (a bare CR and another data line) would reach the client unchecked.
                    chunk = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(first.data());
                } catch (JsonProcessingException e) {
                    chunk = null;
                }
                if (chunk == null || !chunk.isObject()) {
                    exchange.body.cancel();
                    return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                            backend.id() + " began its stream with an event that is not a JSON object", new byte[0]);
                }
                if (chunk.has("error")) {
                    exchange.body.cancel();
                    return Attempt.failed(Attempt.Failure.Kind.SERVER_ERROR, 200, Optional.empty(),
                            backend.id() + " began its stream with an error: " + chunk.path("error").path("message").asText(),
                            new byte[0]);
                }
            }
            return new Attempt.Answered<>(new UpstreamStream(backend, exchange.body, reader, first, timeouts.idle()));
        } catch (HttpTimeoutException e) {
            exchange.body.cancel();
            return Attempt.failed(Attempt.Failure.Kind.TIMEOUT, 0, Optional.empty(),
                    backend.id() + " sent no event within " + timeouts.firstByte().toMillis() + " ms", new byte[0]);
        } catch (IOException e) {
            exchange.body.cancel();
            return Attempt.failed(Attempt.Failure.Kind.CONNECTION, 0, Optional.empty(),
                    backend.id() + ": the stream broke before its first event (" + e.getMessage() + ")", new byte[0]);
        }
    }

    private record Exchange(int status, HttpHeaders headers, ByteQueue body, Attempt.Failed<?> failed) {
        @SuppressWarnings("unchecked")
        <T> Attempt<T> failure() {
            return (Attempt<T>) failed;
        }
    }

    private HttpRequest request(Backend backend, String path, byte[] body, String accept, Duration within) {
        return request(backend, path, body, accept, within, "application/json");
    }

    private HttpRequest request(Backend backend, String path, byte[] body, String accept, Duration within,
                                String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(path))
                .timeout(within)
                .header("Content-Type", contentType)
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!backend.apiKey().isEmpty()) {
            request.header("Authorization", "Bearer " + backend.apiKey());
        }
        return request.build();
    }

    private Exchange send(Backend backend, String path, byte[] body, String accept, Duration headersWithin) {
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> future =
                client.sendAsync(request(backend, path, body, accept, headersWithin), HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            // The request timeout covers the headers; the extra second only guards against a lost completion.
            response = future.get(headersWithin.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failedExchange(Attempt.Failure.Kind.TIMEOUT, backend.id() + " sent no response within "
                    + headersWithin.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failedExchange(Attempt.Failure.Kind.CONNECTION, "interrupted while calling " + backend.id());
        } catch (ExecutionException | CancellationException e) {
            return failedExchange(kindOf(e), describe(backend, e, headersWithin));
        }
        ByteQueue queue = new ByteQueue();
        response.body().subscribe(queue);
        return new Exchange(response.statusCode(), response.headers(), queue, null);
    }

    private static Attempt.Failure.Kind kindOf(Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause instanceof HttpTimeoutException ? Attempt.Failure.Kind.TIMEOUT : Attempt.Failure.Kind.CONNECTION;
    }

    private String describe(Backend backend, Exception e, Duration within) {
        return describe(backend.id(), e, within);
    }

    private String describe(String who, Exception e, Duration within) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof HttpConnectTimeoutException) {
            return who + " did not accept a connection within " + timeouts.connect().toMillis() + " ms";
        }
        if (cause instanceof HttpTimeoutException) {
            return who + " did not answer within " + within.toMillis() + " ms";
        }
        String what = cause instanceof ConnectException ? "cannot connect to " : "the connection to ";
        return what + who + " failed (" + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage()) + ")";
    }

    private static Exchange failedExchange(Attempt.Failure.Kind kind, String message) {
        return new Exchange(0, null, null, new Attempt.Failed<>(new Attempt.Failure(kind, 0, Optional.empty(),
                message, new byte[0])));
    }

    private <T> Attempt<T> statusFailure(Exchange exchange, long deadline) {
        byte[] errorBody;
        try {
            errorBody = exchange.body.readAll(Math.min(deadline, System.nanoTime() + 2_000_000_000L), MAX_ERROR_BODY);
        } catch (IOException e) {
            exchange.body.cancel();
            errorBody = new byte[0];
        }
        return statusFailure(exchange.status, exchange.headers, errorBody);
    }

    private static <T> Attempt<T> statusFailure(int status, HttpHeaders headers, byte[] errorBody) {
        Attempt.Failure.Kind kind = status == 429 ? Attempt.Failure.Kind.RATE_LIMITED
                : status >= 500 || status == 408 ? Attempt.Failure.Kind.SERVER_ERROR
                : Attempt.Failure.Kind.REJECTED;
        String detail = new String(errorBody, 0, Math.min(errorBody.length, 300), StandardCharsets.UTF_8);
        return Attempt.failed(kind, status, retryAfter(headers), "upstream answered " + status
                + (detail.isBlank() ? "" : ": " + detail.strip()), errorBody);
    }

    /** {@code retry-after-ms} (OpenAI's), else {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        try {
            if (ms.isPresent()) {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().strip()))));
            }
            Optional<String> value = headers.firstValue("retry-after");
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String v = value.get().strip();
            if (v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 10) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            }
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (RuntimeException unparseable) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
