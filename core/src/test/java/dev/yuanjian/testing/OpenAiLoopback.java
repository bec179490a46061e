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
 * arguments streamed in pieces); legacy {@code /v1/completions} (whole and streamed,
 * {@code text_completion} chunks); embeddings (float arrays or base64, as {@code encoding_format}
 * asks), moderations, audio transcriptions (multipart upload) and speech (chunked {@code audio/mpeg});
 * images as base64 PNG (WebP when a gpt-image model is asked {@code output_format: webp}) or, as dall-e
 * does, as URLs it serves itself, refusing {@code response_format}
 * for gpt-image models as OpenAI does; Stable Diffusion WebUI's {@code /sdapi/v1/txt2img}; and
 * OpenAI's Responses API ({@code /v1/responses}, whole and streamed as typed events). Faults are
 * queued and each applies to one request: slow first byte, 500, 429 with Retry-After, connection
 * dropped mid-stream, an error event mid-stream, a stream paused mid-way until the test resumes it,
 * a request held before any answer until the test releases it, invalid JSON, a hang. Without a
 * {@link #toolCall}, a request that offers {@code tools} and carries no tool result yet is answered
 * as a model choosing a tool does: one call of the first tool offered, with the arguments set by
 * {@link #toolArguments}; the turn after the result gets the text reply.
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

        /**
         * Answers with exactly {@code body} (a whole JSON answer, or a stream's text when the request
         * streams), then {@code endlessChunk} over and over until the client goes (null: none).
         */
        record Raw(String body, String endlessChunk) implements Fault {
        }

        record Hang(long millis) implements Fault {
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> rawRequests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile String reply = "Hello from the loopback model. It answers every question the same way.";
    private volatile long tokenDelayMillis;
    private volatile boolean recordRequests = true;
    private volatile String toolArguments = "{}";
    private volatile String imageUrl;
    private final AtomicInteger fileRequests = new AtomicInteger();
    private volatile byte[] lastUpload = new byte[0];
    private volatile byte[] lastAudio = new byte[0];
    private volatile ToolCall toolCall;
    private volatile Shaped shaped;
    private volatile String responsesOutput;
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
        server.createContext("/v1/responses", this::responses);
        server.createContext("/sdapi/v1/txt2img", this::txt2img);
        server.createContext("/v1/models", ex -> send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"loop\",\"object\":\"model\"}]}"));
        server.createContext("/v1/completions", this::completions);
        server.createContext("/v1/embeddings", this::embeddings);
        server.createContext("/v1/moderations", this::moderations);
        server.createContext("/v1/audio/transcriptions", this::transcriptions);
        server.createContext("/v1/audio/speech", this::speech);
        server.createContext("/files/", this::file);
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

    /**
     * Answers every chat request with one call of the function {@code name} (content null), as
     * models do, whether or not the request offers tools.
     */
    public OpenAiLoopback toolCall(String name, String arguments) {
        return toolCall(new ToolCall(name, arguments, null));
    }

    /** The JSON arguments of the tool call answered to a request that offers tools; {@code {}} unless set. */
    public OpenAiLoopback toolArguments(String json) {
        this.toolArguments = json;
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

    /**
     * A chat answer of any shape, as OpenAI (or DeepSeek, vLLM) sends it: {@code message} is the
     * whole answer's message JSON, {@code deltas} the stream's delta objects in order (each its own
     * chunk, in the usual chunk envelope), then a chunk with {@code {}} and {@code finish}.
     */
    public record Shaped(String message, List<String> deltas, String finish) {
    }

    /** Every chat answer from now on has this shape (null: text answers again). */
    public OpenAiLoopback shaped(Shaped answer) {
        this.shaped = answer;
        return this;
    }

    /**
     * Every /v1/responses answer from now on has this {@code output} array (JSON; null: the reply
     * as one message again). Streamed, each item is sent as OpenAI does: output_item.added (empty),
     * for a message each part's content_part.added, its deltas in two pieces
     * (output_text.delta or refusal.delta) and done event, content_part.done; for a reasoning item
     * each summary part's reasoning_summary_part.added, reasoning_summary_text.delta and .done,
     * reasoning_summary_part.done; then output_item.done with the whole item. A {@link
     * Fault.DropMidStream} drops the connection before that many text or refusal deltas were sent.
     */
    public OpenAiLoopback responsesOutput(String outputJson) {
        this.responsesOutput = outputJson;
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

    /**
     * Image answers carry this URL instead of the loopback's own {@code /files/} URL (for requests
     * that get URLs: {@code response_format: "url"}, or none to a dall-e model).
     */
    public OpenAiLoopback imageUrl(String url) {
        this.imageUrl = url;
        return this;
    }

    /** Requests for files under {@code /files/} (image URLs fetched). */
    public int fileRequests() {
        return fileRequests.get();
    }

    /** The bytes of the file field of the last transcription upload, as received. */
    public byte[] lastUpload() {
        return lastUpload.clone();
    }

    /** The audio bytes of the last speech answer, as sent. */
    public byte[] lastAudio() {
        return lastAudio.clone();
    }

    /** Drops the faults not yet applied. */
    public OpenAiLoopback clearFaults() {
        faults.clear();
        return this;
    }

    public OpenAiLoopback fault(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    /** The WebP gpt-image answers for {@code output_format: webp}: 8 x 8 lossless, one colour. */
    public byte[] webp() {
        return dev.yuanjian.container.WebpFixtures.lossless(8, 8, 0xFFFF0000, false);
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

    /** The JSON request bodies received, byte for byte as they came (all paths but /v1/models). */
    public List<byte[]> rawBodies() {
        return new ArrayList<>(rawRequests);
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
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body = JSON.readTree(raw);
        if (recordRequests) {
            requests.add(body);
            rawRequests.add(raw);
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
            case Fault.Raw raw -> {
                ex.getResponseHeaders().add("Content-Type", streaming ? "text/event-stream" : "application/json");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(raw.body().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    byte[] again = raw.endlessChunk() == null ? null : raw.endlessChunk().getBytes(StandardCharsets.UTF_8);
                    while (again != null) {
                        out.write(again); // until the gateway closes the connection: the write then fails
                    }
                }
                return true;
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
            Shaped shape = shaped;
            if (shape != null) {
                answerShaped(ex, body, model, shape, stream);
                return;
            }
            String offered = toolCall == null ? toolToCall(body) : null;
            if (offered != null) {
                answerToolCall(ex, body, model, offered, stream);
                return;
            }
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

    /** The first offered tool's name when the request offers tools and holds no tool result yet; else null. */
    private static String toolToCall(JsonNode body) {
        JsonNode tools = body.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return null;
        }
        for (JsonNode message : body.path("messages")) {
            if (message.path("role").asText().equals("tool")) {
                return null;
            }
        }
        return tools.get(0).path("function").path("name").asText();
    }

    private void answerToolCall(HttpExchange ex, JsonNode body, String model, String tool, boolean stream)
            throws IOException {
        String id = "chatcmpl-loop" + count.get();
        String callId = "call_loop" + count.get();
        long created = System.currentTimeMillis() / 1000;
        String arguments = toolArguments;
        if (!stream) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", id);
            answer.put("object", "chat.completion");
            answer.put("created", created);
            answer.put("model", model);
            ObjectNode choice = answer.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.putNull("content");
            message.putNull("refusal");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", callId);
            call.put("type", "function");
            call.putObject("function").put("name", tool).put("arguments", arguments);
            choice.putNull("logprobs");
            choice.put("finish_reason", "tool_calls");
            usage(answer.putObject("usage"));
            answer.put("system_fingerprint", "fp_loopback");
            send(ex, 200, answer.toString());
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            write(out, chunk(id, created, model, "{\"role\":\"assistant\",\"content\":null,\"refusal\":null}", null));
            write(out, chunk(id, created, model, "{\"tool_calls\":[{\"index\":0,\"id\":\"" + callId
                    + "\",\"type\":\"function\",\"function\":{\"name\":" + JSON.writeValueAsString(tool)
                    + ",\"arguments\":\"\"}}]}", null));
            int half = arguments.length() / 2;
            for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
                write(out, chunk(id, created, model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + JSON.writeValueAsString(piece) + "}}]}", null));
            }
            write(out, chunk(id, created, model, "{}", "tool_calls"));
            usageChunk(out, body, id, created, model);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void answerShaped(HttpExchange ex, JsonNode body, String model, Shaped shape, boolean stream)
            throws IOException {
        String id = "chatcmpl-loop" + count.get();
        long created = System.currentTimeMillis() / 1000;
        if (!stream) {
            send(ex, 200, "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created
                    + ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":" + shape.message()
                    + ",\"logprobs\":null,\"finish_reason\":\"" + shape.finish() + "\"}],\"usage\":{\"prompt_tokens\":12,"
                    + "\"completion_tokens\":9,\"total_tokens\":21},\"system_fingerprint\":\"fp_loopback\"}");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String delta : shape.deltas()) {
                write(out, chunk(id, created, model, delta, null));
            }
            write(out, chunk(id, created, model, "{}", shape.finish()));
            usageChunk(out, body, id, created, model);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
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

    /** The usage chunk (empty {@code choices}) a stream ends with when the client asked for it. */
    private void usageChunk(OutputStream out, JsonNode body, String id, long created, String model) throws IOException {
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = JSON.createObjectNode();
            u.put("id", id);
            u.put("object", "chat.completion.chunk");
            u.put("created", created);
            u.put("model", model);
            u.putArray("choices");
            usage(u.putObject("usage"));
            write(out, u.toString());
        }
    }

    private static String chunk(String id, long created, String model, String delta, String finish) {
        return chunk(id, created, model, 0, delta, finish);
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

    /**
     * OpenAI's Responses API: a {@code response} object with one message of {@link #reply}, or its
     * stream of typed events ({@code event:} lines, sequence numbers), ending in response.completed.
     */
    private void responses(HttpExchange ex) throws IOException {
        open.incrementAndGet();
        try {
            JsonNode body = read(ex);
            boolean stream = body.path("stream").asBoolean(false);
            Fault fault = faults.poll();
            if (applyFault(ex, fault, stream)) {
                return;
            }
            String id = "resp_loop" + count.get();
            String msg = "msg_loop" + count.get();
            ObjectNode response = JSON.createObjectNode();
            response.put("id", id);
            response.put("object", "response");
            response.put("created_at", System.currentTimeMillis() / 1000);
            response.put("status", stream ? "in_progress" : "completed");
            response.putNull("error");
            response.putNull("incomplete_details");
            response.set("instructions", body.path("instructions").isMissingNode() ? JSON.nullNode() : body.get("instructions"));
            response.put("model", body.path("model").asText("loop"));
            response.putArray("output");
            response.put("parallel_tool_calls", true);
            response.put("store", body.path("store").asBoolean(true));
            response.put("temperature", 1.0);
            response.put("tool_choice", "auto");
            response.putArray("tools");
            response.put("top_p", 1.0);
            response.putNull("usage");
            response.putObject("metadata");
            ObjectNode message = JSON.createObjectNode();
            message.put("id", msg);
            message.put("type", "message");
            message.put("status", "completed");
            message.put("role", "assistant");
            ObjectNode part = JSON.createObjectNode();
            part.put("type", "output_text");
            part.put("text", reply);
            part.putArray("annotations");
            part.putArray("logprobs");
            message.putArray("content").add(part);
            ObjectNode usage = JSON.createObjectNode();
            int completion = Math.max(1, reply.length() / 4);
            usage.put("input_tokens", 12);
            usage.putObject("input_tokens_details").put("cached_tokens", 0);
            usage.put("output_tokens", completion);
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", 12 + completion);
            String shapedOutput = responsesOutput;
            if (shapedOutput != null) {
                ArrayNode items = (ArrayNode) JSON.readTree(shapedOutput);
                if (!stream) {
                    response.set("output", items);
                    response.set("usage", usage);
                    send(ex, 200, response.toString());
                } else {
                    streamItems(ex, response, items, usage,
                            fault instanceof Fault.DropMidStream d ? d.chunks() : -1);
                }
                return;
            }
            if (!stream) {
                ((ArrayNode) response.get("output")).add(message);
                response.set("usage", usage);
                send(ex, 200, response.toString());
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            int dropAfter = fault instanceof Fault.DropMidStream d ? d.chunks() : -1;
            int[] seq = {0};
            event(out, seq, JSON.createObjectNode().put("type", "response.created").set("response", response.deepCopy()));
            event(out, seq, JSON.createObjectNode().put("type", "response.in_progress").set("response", response.deepCopy()));
            ObjectNode empty = message.deepCopy().put("status", "in_progress");
            empty.putArray("content");
            event(out, seq, JSON.createObjectNode().put("type", "response.output_item.added").put("output_index", 0)
                    .set("item", empty));
            ObjectNode emptyPart = part.deepCopy().put("text", "");
            event(out, seq, at("response.content_part.added", msg).set("part", emptyPart));
            int sent = 0;
            for (String piece : pieces()) {
                if (dropAfter >= 0 && sent == dropAfter) {
                    throw new IOException("dropping the connection mid-stream (injected)");
                }
                ObjectNode delta = at("response.output_text.delta", msg).put("delta", piece);
                delta.putArray("logprobs");
                event(out, seq, delta);
                sent++;
            }
            ObjectNode done = at("response.output_text.done", msg).put("text", reply);
            done.putArray("logprobs");
            event(out, seq, done);
            event(out, seq, at("response.content_part.done", msg).set("part", part));
            event(out, seq, JSON.createObjectNode().put("type", "response.output_item.done").put("output_index", 0)
                    .set("item", message));
            ((ArrayNode) response.get("output")).add(message);
            response.put("status", "completed");
            response.set("usage", usage);
            event(out, seq, JSON.createObjectNode().put("type", "response.completed").set("response", response));
            out.close();
        } finally {
            open.decrementAndGet();
        }
    }

    private static void streamItems(HttpExchange ex, ObjectNode response, ArrayNode items, ObjectNode usage,
                                    int dropAfter) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            int[] seq = {0};
            int deltas = 0;
            event(out, seq, JSON.createObjectNode().put("type", "response.created").set("response", response.deepCopy()));
            event(out, seq, JSON.createObjectNode().put("type", "response.in_progress").set("response", response.deepCopy()));
            for (int i = 0; i < items.size(); i++) {
                ObjectNode item = (ObjectNode) items.get(i);
                String itemId = item.path("id").asText();
                ObjectNode empty = item.deepCopy().put("status", "in_progress");
                String kind = item.path("type").asText();
                if (kind.equals("message")) {
                    empty.putArray("content");
                } else if (kind.equals("reasoning")) {
                    empty.putArray("summary");
                }
                event(out, seq, JSON.createObjectNode().put("type", "response.output_item.added").put("output_index", i)
                        .set("item", empty));
                int c = 0;
                for (JsonNode part : kind.equals("message") ? item.path("content") : JSON.createArrayNode()) {
                    boolean refusal = part.path("type").asText().equals("refusal");
                    String field = refusal ? "refusal" : "text";
                    String value = part.path(field).asText();
                    ObjectNode at = at("", itemId).put("output_index", i).put("content_index", c);
                    event(out, seq, at.deepCopy().put("type", "response.content_part.added")
                            .set("part", ((ObjectNode) part.deepCopy()).put(field, "")));
                    String type = refusal ? "response.refusal" : "response.output_text";
                    int half = value.length() / 2;
                    for (String piece : List.of(value.substring(0, half), value.substring(half))) {
                        if (dropAfter >= 0 && deltas++ == dropAfter) {
                            throw new IOException("dropping the connection mid-stream (injected)");
                        }
                        ObjectNode delta = at.deepCopy().put("type", type + ".delta").put("delta", piece);
                        if (!refusal) {
                            delta.putArray("logprobs");
                        }
                        event(out, seq, delta);
                    }
                    ObjectNode done = at.deepCopy().put("type", type + ".done").put(field, value);
                    if (!refusal) {
                        done.putArray("logprobs");
                    }
                    event(out, seq, done);
                    event(out, seq, at.deepCopy().put("type", "response.content_part.done").set("part", part));
                    c++;
                }
                int s = 0;
                for (JsonNode summary : kind.equals("reasoning") ? item.path("summary") : JSON.createArrayNode()) {
                    ObjectNode at = JSON.createObjectNode().put("item_id", itemId).put("output_index", i)
                            .put("summary_index", s++);
                    event(out, seq, at.deepCopy().put("type", "response.reasoning_summary_part.added")
                            .set("part", ((ObjectNode) summary.deepCopy()).put("text", "")));
                    event(out, seq, at.deepCopy().put("type", "response.reasoning_summary_text.delta")
                            .put("delta", summary.path("text").asText()));
                    event(out, seq, at.deepCopy().put("type", "response.reasoning_summary_text.done")
                            .put("text", summary.path("text").asText()));
                    event(out, seq, at.deepCopy().put("type", "response.reasoning_summary_part.done").set("part", summary));
                }
                event(out, seq, JSON.createObjectNode().put("type", "response.output_item.done").put("output_index", i)
                        .set("item", item));
            }
            response.set("output", items);
            response.put("status", "completed");
            response.set("usage", usage);
            event(out, seq, JSON.createObjectNode().put("type", "response.completed").set("response", response));
        }
    }

    private static ObjectNode at(String type, String itemId) {
        return JSON.createObjectNode().put("type", type).put("item_id", itemId).put("output_index", 0)
                .put("content_index", 0);
    }

    private static void event(OutputStream out, int[] seq, JsonNode event) throws IOException {
        ((ObjectNode) event).put("sequence_number", seq[0]++);
        out.write(("event: " + event.path("type").asText() + "\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void images(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        String model = body.path("model").asText("dall-e-2");
        if (model.startsWith("gpt-image") && body.has("response_format")) {
            send(ex, 400, "{\n  \"error\": {\n    \"message\": \"Unknown parameter: 'response_format'.\",\n    "
                    + "\"type\": \"invalid_request_error\",\n    \"param\": \"response_format\",\n    "
                    + "\"code\": \"unknown_parameter\"\n  }\n}");
            return;
        }
        // dall-e answers URLs unless asked for b64_json; gpt-image always base64.
        String format = body.path("response_format").asText(model.startsWith("dall-e") ? "url" : "b64_json");
        int n = body.path("n").asInt(1);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < n; i++) {
            ObjectNode item = data.addObject();
            if (format.equals("url")) {
                item.put("url", imageUrl != null ? imageUrl : root() + "/files/img-" + count.get() + "-" + i + ".png");
            } else {
                // gpt-image models encode as output_format asks (png, jpeg, webp); dall-e always PNG.
                boolean webp = model.startsWith("gpt-image") && body.path("output_format").asText().equals("webp");
                item.put("b64_json", Base64.getEncoder().encodeToString(webp ? webp() : png));
            }
            item.put("revised_prompt", body.path("prompt").asText());
        }
        send(ex, 200, answer.toString());
    }

    private void file(HttpExchange ex) throws IOException {
        fileRequests.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "image/png");
        ex.sendResponseHeaders(200, png.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(png);
        }
    }

    private void completions(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        boolean stream = body.path("stream").asBoolean(false);
        Fault fault = faults.poll();
        if (applyFault(ex, fault, stream)) {
            return;
        }
        String model = body.path("model").asText("loop");
        String id = "cmpl-loop" + count.get();
        long created = System.currentTimeMillis() / 1000;
        int n = body.path("n").asInt(1);
        if (!stream) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", id);
            answer.put("object", "text_completion");
            answer.put("created", created);
            answer.put("model", model);
            ArrayNode choices = answer.putArray("choices");
            for (int i = 0; i < n; i++) {
                ObjectNode choice = choices.addObject();
                choice.put("text", n == 1 ? reply : reply + " (" + i + ")");
                choice.put("index", i);
                choice.putNull("logprobs");
                choice.put("finish_reason", "stop");
            }
            usage(answer.putObject("usage"));
            send(ex, 200, answer.toString());
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (String piece : pieces()) {
            for (int i = 0; i < n; i++) {
                write(out, completionChunk(id, created, model, i, piece, null));
            }
        }
        for (int i = 0; i < n; i++) {
            write(out, completionChunk(id, created, model, i, "", "stop"));
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = JSON.createObjectNode();
            u.put("id", id);
            u.put("object", "text_completion");
            u.put("created", created);
            u.putArray("choices");
            u.put("model", model);
            usage(u.putObject("usage"));
            write(out, u.toString());
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        out.close();
    }

    private static String completionChunk(String id, long created, String model, int index, String text, String finish)
            throws IOException {
        return "{\"id\":\"" + id + "\",\"object\":\"text_completion\",\"created\":" + created + ",\"choices\":[{\"text\":"
                + JSON.writeValueAsString(text) + ",\"index\":" + index + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"model\":\"" + model + "\",\"system_fingerprint\":null}";
    }

    /** Each input gets an 8-dimensional vector derived from its text. */
    private void embeddings(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        JsonNode input = body.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(i -> inputs.add(i.toString()));
        } else {
            inputs.add(input.asText());
        }
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i));
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(vector.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float f : vector) {
                    b.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode e = item.putArray("embedding");
                for (float f : vector) {
                    e.add(f);
                }
            }
            tokens += Math.max(1, inputs.get(i).length() / 4);
        }
        answer.put("model", body.path("model").asText());
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        send(ex, 200, answer.toString());
    }

    /** The vector the loopback returns for {@code text}: eight numbers from its hash, for tests to compare. */
    public static float[] vector(String text) {
        float[] v = new float[8];
        int h = text.hashCode();
        for (int i = 0; i < v.length; i++) {
            v[i] = ((h >>> (i * 4)) & 0xf) / 16f - 0.5f;
        }
        return v;
    }

    private static final String[] CATEGORIES = {"harassment", "harassment/threatening", "hate", "hate/threatening",
            "illicit", "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent", "sexual",
            "sexual/minors", "violence", "violence/graphic"};

    /** Flags an input that contains "kill"; everything else passes. */
    private void moderations(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        JsonNode input = body.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(i -> inputs.add(i.asText()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "modr-loop" + count.get());
        answer.put("model", body.path("model").asText("omni-moderation-latest"));
        ArrayNode results = answer.putArray("results");
        for (String text : inputs) {
            boolean violent = text.contains("kill");
            ObjectNode r = results.addObject();
            r.put("flagged", violent);
            ObjectNode categories = r.putObject("categories");
            ObjectNode scores = r.putObject("category_scores");
            ObjectNode types = r.putObject("category_applied_input_types");
            for (String c : CATEGORIES) {
                categories.put(c, violent && c.equals("violence"));
                scores.put(c, violent && c.equals("violence") ? 0.97 : 0.0001);
                types.putArray(c).add("text");
            }
        }
        send(ex, 200, answer.toString());
    }

    /** Reads the multipart form itself (not through any gateway code) and answers with what it received. */
    private void transcriptions(HttpExchange ex) throws IOException {
        count.incrementAndGet();
        byte[] raw = ex.getRequestBody().readAllBytes();
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
        String form = new String(raw, StandardCharsets.ISO_8859_1);
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        String filename = null;
        for (String part : form.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int blank = part.indexOf("\r\n\r\n");
            if (blank < 0) {
                continue;
            }
            String headers = part.substring(0, blank);
            String value = part.substring(blank + 4, part.length() - 2); // the CRLF before the next boundary
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            java.util.regex.Matcher file = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            if (!name.find()) {
                continue;
            }
            if (file.find()) {
                filename = file.group(1);
                lastUpload = value.getBytes(StandardCharsets.ISO_8859_1);
            } else {
                fields.put(name.group(1), new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        if (recordRequests) {
            ObjectNode seen = JSON.createObjectNode();
            fields.forEach(seen::put);
            requests.add(seen);
        }
        String text = "Heard " + lastUpload.length + " bytes of " + filename + " with " + fields.get("model") + ".";
        if ("text".equals(fields.get("response_format"))) {
            byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("text", text);
        ObjectNode usage = answer.putObject("usage");
        usage.put("type", "tokens");
        usage.put("input_tokens", 40);
        usage.putObject("input_token_details").put("text_tokens", 0).put("audio_tokens", 40);
        usage.put("output_tokens", 9);
        usage.put("total_tokens", 49);
        send(ex, 200, answer.toString());
    }

    /** An MP3-like body (an ID3 tag, then bytes from the input), sent chunked as OpenAI streams audio. */
    private void speech(HttpExchange ex) throws IOException {
        JsonNode body = read(ex);
        if (applyFault(ex, faults.poll(), false)) {
            return;
        }
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        audio.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0});
        byte[] input = body.path("input").asText().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 4096; i++) {
            audio.write((input[i % input.length] * 31 + i) & 0xff);
        }
        lastAudio = audio.toByteArray();
        ex.getResponseHeaders().add("Content-Type", "audio/mpeg");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int at = 0; at < lastAudio.length; at += 1000) {
                out.write(lastAudio, at, Math.min(1000, lastAudio.length - at));
                out.flush();
            }
        }
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
