package dev.yuanjian.server.gateway;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway calls running now, each with its thread, so that a stopping server can wait for them
 * and interrupt the ones that do not end: no call outlives the server that accepted it.
 */
final class InFlight {
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /** One running call; closing it (on its own thread) removes it. */
    final class Call implements AutoCloseable {
        private final Thread thread = Thread.currentThread();

        private Call() {
            threads.add(thread);
        }

        /** Also clears an interrupt {@link #stop} sent too late to matter, so it reaches nothing after the call. */
        @Override
        public void close() {
            synchronized (InFlight.this) {
                threads.remove(thread);
                Thread.interrupted();
                InFlight.this.notifyAll();
            }
        }
    }

    /** Registers the calling thread's call until the returned {@link Call} is closed. */
    Call enter() {
        return new Call();
    }

    /** Calls running now. */
    int size() {
        return threads.size();
    }

    /**
     * Waits up to {@code grace} for every call to end, interrupts those still running, and waits up
     * to {@code afterInterrupt} more. Returns how many are still running (0 unless one is stuck).
     */
    int stop(Duration grace, Duration afterInterrupt) {
        try {
            if (await(grace)) {
                return 0;
            }
            synchronized (this) { // a call that ended has left the set: only running calls are interrupted
                threads.forEach(Thread::interrupt);
            }
            await(afterInterrupt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return threads.size();
    }

    private synchronized boolean await(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!threads.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
