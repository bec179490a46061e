package dev.yuanjian.model;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A response body read with a timeout on every read. The JDK's {@code ofInputStream} blocks without
 * a timeout, and closing it does not wake a blocked reader; subscribing to the body publisher
 * ourselves and polling with a deadline gives both idle timeouts and prompt cancellation
 * ({@link #cancel()} closes the upstream connection), with no watchdog thread.
 *
 * <p>One buffer list is requested at a time, so a slow client slows the upstream instead of
 * filling memory (back-pressure).
 */
final class ByteQueue implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private Iterator<ByteBuffer> current = java.util.Collections.emptyIterator();
    private ByteBuffer buffer;
    private boolean ended;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.offer(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.offer(throwable);
    }

    @Override
    public void onComplete() {
        queue.offer(END);
    }

    /**
     * The next bytes, or null at the end of the body.
     *
     * @throws HttpTimeoutException when nothing arrives within {@code timeoutNanos}
     * @throws IOException          when the connection broke
     * @throws InterruptedIOException when the reading thread was interrupted (the server is stopping)
     */
    ByteBuffer next(long timeoutNanos) throws IOException {
        while (true) {
            if (buffer != null && buffer.hasRemaining()) {
                return buffer;
            }
            if (current.hasNext()) {
                buffer = current.next();
                continue;
            }
            if (ended) {
                return null;
            }
            Object item;
            try {
                item = timeoutNanos <= 0 ? queue.poll() : queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // The interrupt is answered by this exception (java.io's convention), and the flag stays
                // clear: the reader still labels and logs what it relayed, and an H2 file channel used
                // by an interrupted thread closes itself.
                InterruptedIOException stop = new InterruptedIOException("interrupted while reading the upstream response");
                stop.initCause(e);
                throw stop;
            }
            if (item == null) {
                throw new HttpTimeoutException("the upstream sent nothing for "
                        + TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0)) + " ms");
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Throwable t) {
                ended = true;
                throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> list = (List<ByteBuffer>) item;
            current = list.iterator();
            Flow.Subscription s = subscription;
            if (s != null && !cancelled) {
                s.request(1);
            }
        }
    }

    /** Reads the whole rest of the body; fails past {@code maxBytes} or the deadline. */
    byte[] readAll(long deadlineNanos, int maxBytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b;
        while ((b = next(deadlineNanos - System.nanoTime())) != null) {
            if (out.size() + b.remaining() > maxBytes) {
                throw new IOException("the upstream response is larger than " + (maxBytes >> 10) + " KiB");
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
            if (deadlineNanos - System.nanoTime() <= 0 && b.hasRemaining()) {
                throw new HttpTimeoutException("the upstream response took too long");
            }
        }
        return out.toByteArray();
    }

    /** Stops reading and lets the HTTP client close the connection (the upstream sees the cancel). */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
