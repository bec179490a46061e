package dev.yuanjian.model;

import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * An open event stream from a backend whose first event has already arrived (so the router could
 * still fall back until then). Read it with {@link #next()}; {@link #close()} before the end
 * cancels the upstream request, which is how a client's disconnect reaches the model server.
 */
public final class UpstreamStream implements AutoCloseable {
    private final Backend backend;
    private final ByteQueue body;
    private final SseReader reader;
    private final long idleNanos;
    private final UnaryOperator<String> data;
    private SseReader.Event pending;
    private boolean finished;

    UpstreamStream(Backend backend, ByteQueue body, SseReader reader, SseReader.Event first, Duration idle) {
        this(backend, body, reader, first, idle.toNanos(), UnaryOperator.identity());
    }

    private UpstreamStream(Backend backend, ByteQueue body, SseReader reader, SseReader.Event first, long idleNanos,
                           UnaryOperator<String> data) {
        this.backend = backend;
        this.body = body;
        this.reader = reader;
        this.pending = first;
        this.idleNanos = idleNanos;
        this.data = data;
    }

    /**
     * This stream, unread, with each event's data (but {@code [DONE]}) passed through {@code map}:
     * another protocol's events (legacy completions) read as chat chunks. Use only the returned stream.
     */
    public UpstreamStream mapped(UnaryOperator<String> map) {
        return new UpstreamStream(backend, body, reader, pending, idleNanos, map);
    }

    public Backend backend() {
        return backend;
    }

    /**
     * The next event, or null when the upstream ended the stream.
     *
     * @throws IOException when the connection broke or the upstream was silent longer than the idle timeout
     */
    public SseReader.Event next() throws IOException {
        if (pending != null) {
            SseReader.Event e = pending;
            pending = null;
            return map(e);
        }
        if (finished) {
            return null;
        }
        SseReader.Event e = reader.next(idleNanos);
        if (e == null) {
            finished = true;
        }
        return map(e);
    }

    private SseReader.Event map(SseReader.Event e) {
        return e == null || e.data() == null || e.isDone() ? e : new SseReader.Event(data.apply(e.data()), e.comment());
    }

    @Override
    public void close() {
        body.cancel();
    }
}
