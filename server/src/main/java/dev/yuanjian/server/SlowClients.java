package dev.yuanjian.server;

import dev.yuanjian.app.Settings;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds what a slow client can hold (slowloris on heads, a trickle of body bytes). Jetty's idle
 * timeout alone does not: every byte restarts it, so one byte every two seconds keeps a connection
 * forever. Here a request's head must be complete within {@code head} of the connection opening or of
 * the previous answer on it, else the connection is closed; and a body may take {@code head} plus one
 * second per {@code minBodyBytesPerSecond} bytes received, else reading it fails with {@link TooSlow}
 * (answered 408 by {@link ErrorWriter}, and the connection closed).
 *
 * <p>Installed twice: as a {@link Connection.Listener} on the connector (connections opening and
 * closing) and as the outermost handler (heads completing, answers ending, bodies being read).
 */
final class SlowClients extends Handler.Wrapper implements Connection.Listener {
    /** A body read that fell behind the minimum rate; the cause of the read's failure. */
    static final class TooSlow extends TimeoutException {
        TooSlow(String message) {
            super(message);
        }
    }

    private final long headNanos;
    private final long minBodyBytesPerSecond;
    /** Connections waiting for a request head, each with the task that closes it when time is up. */
    private final Map<Connection, Scheduler.Task> waiting = new ConcurrentHashMap<>();

    SlowClients(Settings.ClientLimits limits) {
        this.headNanos = limits.head().toNanos();
        this.minBodyBytesPerSecond = limits.minBodyBytesPerSecond();
    }

    /**
     * A 408 when {@code failure} (or one of its causes) is a body that arrived too slowly: what a
     * handler whose read failed answers.
     */
    static Optional<HttpResponseException> tooSlow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooSlow) {
                return Optional.of(new HttpResponseException(408, t.getMessage()
                        + "; send the request again without pauses", Map.of("code", "request_timeout")));
            }
        }
        return Optional.empty();
    }

    @Override
    public void onOpened(Connection connection) {
        awaitHead(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        cancel(waiting.remove(connection));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        cancel(waiting.remove(connection)); // the head is complete
        // The next head's clock starts when this answer ends (keep-alive), whatever its outcome.
        Request.addCompletionListener(request, failure -> awaitHead(connection));
        Request paced = minBodyBytesPerSecond > 0 ? new PacedBody(request) : request;
        return super.handle(paced, response, callback);
    }

    private void awaitHead(Connection connection) {
        if (!connection.getEndPoint().isOpen()) {
            return;
        }
        Scheduler scheduler = getServer().getScheduler();
        Scheduler.Task[] self = new Scheduler.Task[1];
        self[0] = scheduler.schedule(() -> {
            // Only if still waiting: a head that completed meanwhile removed (and cancelled) this task.
            if (waiting.remove(connection, self[0])) {
                connection.getEndPoint().close(new TooSlow("no complete request head within "
                        + TimeUnit.NANOSECONDS.toMillis(headNanos) + " ms"));
            }
        }, headNanos, TimeUnit.NANOSECONDS);
        cancel(waiting.put(connection, self[0]));
        if (!connection.getEndPoint().isOpen()) {
            cancel(waiting.remove(connection)); // closed while we scheduled: onClosed may have run already
        }
    }

    private static void cancel(Scheduler.Task task) {
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * A request whose body must keep pace: checked each time the reader waits for more, which a
     * trickling client causes at every byte. A client that sends nothing at all is the idle timeout's.
     */
    private final class PacedBody extends Request.Wrapper {
        private volatile long firstWait;
        private volatile long received;
        private volatile Content.Chunk refused;

        PacedBody(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = refused != null ? refused : super.read();
            if (chunk != null && refused == null) {
                received += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable onContent) {
            long now = System.nanoTime();
            if (firstWait == 0) {
                firstWait = now;
            } else if (now - firstWait > headNanos + received * 1_000_000_000L / minBodyBytesPerSecond) {
                refused = Content.Chunk.from(new TooSlow("the request body arrived slower than "
                        + minBodyBytesPerSecond + " bytes per second (" + received + " bytes in "
                        + TimeUnit.NANOSECONDS.toSeconds(now - firstWait) + " s)"), true);
                onContent.run();
                return;
            }
            super.demand(onContent);
        }
    }
}
