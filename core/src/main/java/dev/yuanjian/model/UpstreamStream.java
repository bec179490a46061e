package dev.yuanjian.model;

import java.io.IOException;
import java.time.Duration;

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
    private SseReader.Event pending;
    private boolean finished;

    UpstreamStream(Backend backend, ByteQueue body, SseReader reader, SseReader.Event first, Duration idle) {
        this.backend = backend;
        this.body = body;
        this.reader = reader;
        this.pending = first;
        this.idleNanos = idle.toNanos();
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
            return e;
        }
        if (finished) {
            return null;
        }
        SseReader.Event e = reader.next(idleNanos);
        if (e == null) {
            finished = true;
        }
        return e;
    }

    @Override
    public void close() {
        body.cancel();
    }
}
