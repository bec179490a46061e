package dev.yuanjian.server.gateway;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the lines written to {@code System.err} (where slf4j-simple logs) while open, and passes
 * the first few hundred on: a runaway log shows as a count, not as gigabytes of test output.
 */
final class ErrLines implements AutoCloseable {
    private static final long PASSED_ON = 300;

    private final PrintStream original = System.err;
    private final AtomicLong lines = new AtomicLong();

    ErrLines() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                long n = b == '\n' ? lines.incrementAndGet() : lines.get();
                if (n <= PASSED_ON) {
                    original.write(b);
                }
            }
        }, true));
    }

    long count() {
        return lines.get();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
