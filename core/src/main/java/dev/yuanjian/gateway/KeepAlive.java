package dev.yuanjian.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stream's sink that sends {@code : keep-alive} comments while the client waits for the first
 * event (the router retrying and falling back included), so that a reverse proxy's idle timeout
 * (often 60 s) does not cut off a slow model. The response is committed (status 200,
 * {@code text/event-stream}) only when the first comment is due: a request answered or refused
 * sooner still gets an ordinary status. Once {@link #opened()}, a failure must be told inside the
 * stream, as an error event.
 *
 * <p>One thread, a virtual one, per waiting stream, ending as soon as {@link #stopTicking} is
 * called; every write goes through one lock, so a comment never interleaves with an event.
 */
final class KeepAlive implements StreamSink {
    private static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final StreamSink sink;
    private final long everyNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private boolean ticking;
    private boolean opened;
    private Thread ticker;

    /** @param every the comment interval; zero sends none */
    KeepAlive(StreamSink sink, Duration every) {
        this.sink = sink;
        this.everyNanos = every.toNanos();
    }

    /** Starts sending comments every interval until {@link #stopTicking}. */
    void startTicking() {
        if (everyNanos <= 0) {
            return;
        }
        lock.lock();
        try {
            ticking = true;
        } finally {
            lock.unlock();
        }
        ticker = Thread.ofVirtual().name("sse-keep-alive").start(this::tick);
    }

    /** Stops the comments; when it returns no comment is being written, nor will be. */
    void stopTicking() {
        lock.lock();
        try {
            ticking = false;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        if (ticker != null) {
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the response was committed (by a comment or an event). */
    boolean opened() {
        lock.lock();
        try {
            return opened;
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        lock.lock();
        try {
            while (ticking) {
                long left = everyNanos;
                while (ticking && left > 0) {
                    left = stopped.awaitNanos(left);
                }
                if (!ticking) {
                    return;
                }
                open();
                sink.send(COMMENT);
            }
        } catch (IOException gone) {
            // The client left: the sink remembers it, and the relay finds out at its first write.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ticking = false;
            lock.unlock();
        }
    }

    @Override
    public void open() throws IOException {
        lock.lock();
        try {
            if (!opened) {
                opened = true;
                sink.open();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(byte[] event) throws IOException {
        lock.lock();
        try {
            open();
            sink.send(event);
        } finally {
            lock.unlock();
        }
    }
}
