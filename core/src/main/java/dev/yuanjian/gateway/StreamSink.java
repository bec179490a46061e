package dev.yuanjian.gateway;

import java.io.IOException;

/**
 * Where a streamed answer goes (the HTTP response, or a test). An {@link IOException} from either
 * method means the client has gone: the gateway then cancels the upstream request.
 */
public interface StreamSink {

    /** Commits the response (status 200, {@code text/event-stream}); called once, before the first event. */
    void open() throws IOException;

    /** Writes one complete server-sent event (ending in a blank line) and flushes it. */
    void send(byte[] event) throws IOException;
}
