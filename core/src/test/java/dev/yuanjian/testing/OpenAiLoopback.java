package dev.yuanjian.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A model server on the loopback interface that speaks the OpenAI protocol as real servers do:
 * JSON completions with usage; streams as server-sent events over chunked HTTP, a role chunk
 * first, a keep-alive comment, content chunks, a finish chunk, a usage chunk when asked
 * ({@code stream_options.include_usage}), then {@code data: [DONE]}; {@code n} choices (streamed
 * interleaved, as OpenAI does); tool-call turns ({@link #toolCall}: {@code content: null}, the
 * arguments streamed in pieces); images as base64 PNG; and Stable Diffusion WebUI's
 * {@code /sdapi/v1/txt2img}. Faults are queued and each applies to one request: slow first byte,
 * 500, 429 with Retry-After, connection dropped mid-stream, an error event mid-stream, a stream
 * paused mid-way until the test resumes it, a request held before any answer until the test
 * releases it, invalid JSON, a hang.
 */
public final class OpenAiLoopback implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Real model servers (uvicorn, llama.cpp, Go's net/http) send each event at once; without
        // TCP_NODELAY the JDK server's small writes wait on delayed ACKs (up to 40 ms a token).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** What goes wrong with the next request. */
    public sealed interface Fault {
        record SlowFirstByte(long millis) implements Fault {
        }

        record Status(int status, String retryAfter) implements Fault {
        }

        /** Streams {@code chunks} content chunks, then drops the connection. Non-streaming: drops at once. */
        record DropMidStream(int chunks) implements Fault {
        }

        /**
         * Streams {@code chunks} content chunks, then sends nothing until {@code resume} is counted
         * down (or the server closes), then the rest: a stream held open for as long as a test needs.
         */
        record Pause(int chunks, CountDownLatch resume) implements Fault {
        }

        record InvalidJson() implements Fault {
        }

        /** Streams {@code chunks} content chunks, then an OpenAI error object as a data event, and ends. */
        record ErrorMidStream(int chunks) implements Fault {
        }

        /**
         * Sends nothing (not even headers) until {@code release} is counted down, then answers with
         * {@code then} applied (null: normally): an upstream still thinking, for as long as a test needs.
         */
        record Held(CountDownLatch release, Fault then) implements Fault {
        }

        record Hang(long millis) implements Fault {
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile String reply = "Hello from the loopback model. It answers every question the same way.";
    private volatile long tokenDelayMillis;
    private volatile boolean recordRequests = true;
    private volatile ToolCall toolCall;
    private volatile String comment = ": keep-alive\n\n";
    private volatile boolean usageAlways;

    /** A tool call the model answers with: function {@code name} with {@code arguments} (JSON text), after {@code text} (null: none). */
    public record ToolCall(String name, String arguments, String text) {
    }
    private final byte[] png;

    public OpenAiLoopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/images/generations", this::images);
        server.createContext("/sdapi/v1/txt2img", this::txt2img);
        server.createContext("/v1/models", ex -> send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"loop\",\"object\":\"model\"}]}"));
        server.start();
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        png = out.toByteArray();
    }

    /** {@code http://127.0.0.1:PORT/v1}, the base URL an OpenAI client takes. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** {@code http://127.0.0.1:PORT}, the base URL of the SD WebUI API. */
    public URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public OpenAiLoopback reply(String text) {
        this.reply = text;
        return this;
    }

    public OpenAiLoopback tokenDelay(long millis) {
        this.tokenDelayMillis = millis;
        return this;
    }

    /**
     * Makes this a chat-only server, as llama.cpp, vLLM or a chat API are: image generation paths
     * are removed, and the JDK server answers them 404 itself (an HTML body, not OpenAI JSON).
     */
    public OpenAiLoopback withoutImages() {
        server.removeContext("/v1/images/generations");
        server.removeContext("/sdapi/v1/txt2img");
        return this;
    }

    /** Every answer from now on is this tool call (null: text answers again). */
    public OpenAiLoopback toolCall(ToolCall call) {
        this.toolCall = call;
        return this;
    }

    /** The comment event sent after a stream's role chunk, exactly (default {@code ": keep-alive\n\n"}). */
    public OpenAiLoopback comment(String rawEvent) {
        this.comment = rawEvent;
        return this;
    }

    /** Streams end with the usage chunk even when the client did not ask for it, as some servers do. */
    public OpenAiLoopback usageAlways(boolean on) {
        this.usageAlways = on;
        return this;
    }

    /** Benchmarks switch recording off so memory stays flat. */
    public OpenAiLoopback recordRequests(boolean on) {
        this.recordRequests = on;
        return this;
    }

    public OpenAiLoopback fault(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    public byte[] png() {
        return png.clone();
    }

    /** Requests received (all paths but /v1/models). */
    public int requests() {
        return count.get();
    }

    public List<JsonNode> bodies() {
        return new ArrayList<>(requests);
    }

    /** Streams whose client went away before the end (the write failed). */
    public int cancelledStreams() {
        return cancelled.get();
    }

    /** Requests being answered right now. */
    public int inFlight() {
        return open.get();
    }

    /** The content chunks a stream of {@link #reply} is split into: words, each with its leading space. */
    public List<String> pieces() {
        List<String> pieces = new ArrayList<>();
        String[] words = reply.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            pieces.add(i == 0 ? words[i] : " " + words[i]);
        }
        return pieces;
    }

    private JsonNode read(HttpExchange ex) throws IOException {
        count.incrementAndGet();
        JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
        if (recordRequests) {
            requests.add(body);
        }
        return body;
    }

    /** Applies the next fault; true when it already answered (or dropped) the request. */
    private boolean applyFault(HttpExchange ex, Fault fault, boolean streaming) throws IOException {
        if (fault == null) {
            return false;
        }
        switch (fault) {
            case Fault.SlowFirstByte slow -> sleep(slow.millis());
            case Fault.Hang hang -> {
                sleep(hang.millis());
                throw new IOException("hung up after a hang");
            }
            case Fault.Status status -> {
                if (status.retryAfter() != null) {
                    ex.getResponseHeaders().add("Retry-After", status.retryAfter());
                }
                String type = status.status() == 429 ? "rate_limit_exceeded" : "server_error";
                send(ex, status.status(), "{\"error\":{\"message\":\"injected " + status.status() + "\",\"type\":\""
                        + type + "\",\"param\":null,\"code\":\"" + type + "\"}}");
                return true;
            }
            case Fault.InvalidJson invalid -> {
                if (streaming) {
                    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}\n\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                } else {
                    send(ex, 200, "{\"id\": \"chatcmpl-broken\", \"choices\": [ {\"message\": ");
                }
                return true;
            }
            case Fault.DropMidStream drop -> {
                if (!streaming) {
                    throw new IOException("dropped");
                }
                return false; // handled while streaming
            }
            case Fault.Pause pause -> {
                return false; // handled while streaming; a non-streaming answer is not paused
            }
            case Fault.ErrorMidStream e -> {
                return false; // handled while streaming
            }
            case Fault.Held held -> {
                try {
                    held.release().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("closed while held", e);
                }
                return applyFault(ex, held.then(), streaming);
            }
        }
        return false;
    }

    private void chat(HttpExchange ex) throws IOException {
        open.incrementAndGet();
        try {
            JsonNode body = read(ex);
            boolean stream = body.path("stream").asBoolean(false);
            Fault fault = faults.poll();
            if (applyFault(ex, fault, stream)) {
                return;
            }
            String model = body.path("model").asText("loop");
            if (!stream) {
                ObjectNode answer = JSON.createObjectNode();
                answer.put("id", "chatcmpl-loop" + count.get());
                answer.put("object", "chat.completion");
                answer.put("created", System.currentTimeMillis() / 1000);
                answer.put("model", model);
                ArrayNode choices = answer.putArray("choices");
                int n = body.path("n").asInt(1);
                for (int i = 0; i < n; i++) {
                    ObjectNode choice = choices.addObject();
                    choice.put("index", i);
                    ObjectNode message = choice.putObject("message");
                    message.put("role", "assistant");
                    ToolCall call = toolCall;
                    if (call == null) {
                        message.put("content", text(n, i));
                    } else {
                        if (call.text() == null) {
                            message.putNull("content");
                        } else {
                            message.put("content", call.text());
                        }
                        ObjectNode c = message.putArray("tool_calls").addObject();
                        c.put("id", "call_loop" + i);
                        c.put("type", "function");
                        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    }
                    message.putNull("refusal");
                    choice.putNull("logprobs");
                    choice.put("finish_reason", call == null ? "stop" : "tool_calls");
                }
                usage(answer.putObject("usage"));
                answer.put("system_fingerprint", "fp_loopback");
                send(ex, 200, answer.toString());
                return;
            }
            Fault mid = fault instanceof Fault.Held h ? h.then() : fault;
            streamChat(ex, body, model, mid);
        } finally {
            open.decrementAndGet();
        }
    }

    private void usage(ObjectNode usage) {
        int completion = Math.max(1, reply.length() / 4);
        usage.put("prompt_tokens", 12);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", 12 + completion);
    }

    /** Choice {@code i}'s text of {@code n}: the reply, marked with its index when there are several. */
    private String text(int n, int i) {
        return n == 1 ? reply : reply + " (" + i + ")";
    }

    /** The content pieces of choice {@code i} of {@code n}: {@link #pieces}, then the index mark. */
    private List<String> pieces(int n, int i) {
        List<String> pieces = pieces();
        if (n > 1) {
            pieces.add(" (" + i + ")");
        }
        return pieces;
    }

    private void streamChat(HttpExchange ex, JsonNode body, String model, Fault fault) throws IOException {
        int dropAfter = fault instanceof Fault.DropMidStream d ? d.chunks() : -1;
        int errorAfter = fault instanceof Fault.ErrorMidStream e ? e.chunks() : -1;
        Fault.Pause pause = fault instanceof Fault.Pause p ? p : null;
        int n = Math.max(1, body.path("n").asInt(1));
        ToolCall call = toolCall;
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-loop" + count.get();
        long created = System.currentTimeMillis() / 1000;
        try {
            for (int i = 0; i < n; i++) {
                write(out, chunk(id, created, model, i, call == null ? "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"
                        : "{\"role\":\"assistant\",\"content\":null,\"refusal\":null}", null));
            }
            out.write(comment.getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> pieces = call == null ? pieces() : call.text() == null ? List.of() : List.of(call.text());
            int sent = 0;
            for (int k = 0; k < pieces.size() + (n > 1 ? 1 : 0); k++) {
                if (dropAfter >= 0 && sent == dropAfter) {
                    throw new IOException("dropping the connection mid-stream (injected)");
                }
                if (errorAfter >= 0 && sent == errorAfter) {
                    write(out, "{\"error\":{\"message\":\"injected error mid-stream\",\"type\":\"server_error\","
                            + "\"param\":null,\"code\":null}}");
                    out.close();
                    return;
                }
                if (pause != null && sent == pause.chunks()) {
                    try {
                        pause.resume().await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("closed while paused", e);
                    }
                }
                if (tokenDelayMillis > 0) {
                    sleep(tokenDelayMillis);
                }
                for (int i = 0; i < n; i++) {
                    List<String> mine = call == null ? pieces(n, i) : pieces;
                    if (k < mine.size()) {
                        write(out, chunk(id, created, model, i, "{\"content\":" + JSON.writeValueAsString(mine.get(k)) + "}", null));
                    }
                }
                sent++;
            }
            if (call != null) {
                for (int i = 0; i < n; i++) {
                    write(out, chunk(id, created, model, i, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_loop" + i
                            + "\",\"type\":\"function\",\"function\":{\"name\":\"" + call.name() + "\",\"arguments\":\"\"}}]}", null));
                    String args = call.arguments();
                    for (int at = 0; at < args.length(); at += 4) {
                        write(out, chunk(id, created, model, i, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                                + JSON.writeValueAsString(args.substring(at, Math.min(args.length(), at + 4))) + "}}]}", null));
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                write(out, chunk(id, created, model, i, "{}", call == null ? "stop" : "tool_calls"));
            }
            if (usageAlways || body.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode u = JSON.createObjectNode();
                u.put("id", id);
                u.put("object", "chat.completion.chunk");
                u.put("created", created);
                u.put("model", model);
                u.putArray("choices");
                usage(u.putObject("usage"));
                write(out, u.toString());
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
            out.close();
        } catch (IOException e) {
            if (!e.getMessage().contains("injected")) {
                cancelled.incrementAndGet();
            }
            throw e; // the server then drops the connection without ending the chunked body
        }
    }

    private static String chunk(String id, long created, String model, int index, String delta, String finish) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":\""
                + model + "\",\"system_fingerprint\":\"fp_loopback\",\"choices\":[{\"index\":" + index + ",\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static void write(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void images(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        int n = body.path("n").asInt(1);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < n; i++) {
            data.addObject().put("b64_json", Base64.getEncoder().encodeToString(png)).put("revised_prompt", body.path("prompt").asText());
        }
        send(ex, 200, answer.toString());
    }

    private void txt2img(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode images = answer.putArray("images");
        for (int i = 0; i < body.path("batch_size").asInt(1); i++) {
            images.add(Base64.getEncoder().encodeToString(png));
        }
        answer.putObject("parameters");
        answer.put("info", "{}");
        send(ex, 200, answer.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
