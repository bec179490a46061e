package dev.yuanjian.server;

import dev.yuanjian.container.FormatException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where uploaded documents are labelled, propagated and verified: a few platform threads (one per
 * core) with a short queue, not the request's own virtual thread. Decoding and re-encoding a
 * 12-megapixel image is seconds of CPU with no blocking call in it; on virtual threads twenty such
 * uploads held every carrier thread, and {@code /healthz} and the gateway stopped answering while
 * they ran, some connections waiting out the 20 s header timeout. Platform threads are scheduled
 * by the operating system beside the carriers, so other requests keep being served; beyond the
 * queue a request gets 503 {@code busy} with {@code Retry-After} at once instead of waiting.
 */
final class DocumentWork {
    private final ThreadPoolExecutor pool;

    /**
     * @param threads documents worked on at once
     * @param queued  documents waiting beyond those; more are refused with 503
     */
    DocumentWork(int threads, int queued) {
        AtomicInteger n = new AtomicInteger();
        // Idle workers end after 30 s: a server that is closed (or a test's many servers) leaves no threads behind.
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queued)),
                r -> {
                    Thread t = new Thread(r, "yuanjian-document-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** One worker per core, and four documents waiting per worker. */
    static DocumentWork forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new DocumentWork(cores, 4 * cores);
    }

    /** The work that yields a value; its own exception as it threw it. */
    @FunctionalInterface
    interface Job<T> {
        T call() throws FormatException;
    }

    /**
     * Runs {@code job} on a worker and waits for it (the request's virtual thread is parked, not
     * its carrier).
     *
     * @param ctx the request, to which a refusal adds {@code Retry-After}
     * @throws HttpResponseException 503 {@code busy} when every worker and queue place is taken
     */
    <T> T run(Context ctx, Job<T> job) throws FormatException {
        return run(job, () -> ctx.header("Retry-After", "2"));
    }

    /** As {@link #run(Context, Job)}, calling {@code whenBusy} before a 503 {@code busy}. */
    <T> T run(Job<T> job, Runnable whenBusy) throws FormatException {
        Future<T> future;
        try {
            future = pool.submit((Callable<T>) job::call);
        } catch (RejectedExecutionException full) {
            whenBusy.run();
            throw new HttpResponseException(503, "the server is working on as many documents as it can take; "
                    + "send this one again in a few seconds", Map.of("code", "busy"));
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new HttpResponseException(503, "the server is stopping", Map.of("code", "stopping"));
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case FormatException f -> throw f;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }
}
