package dev.yuanjian.cli;

import dev.yuanjian.app.Yuanjian;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Opens the product for reading on a second thread while picocli builds its command model, for the
 * commands that only read ({@code verify}, {@code log ...}): the two took about the same time one
 * after the other (0.1 to 0.2 s each in a one-file verify, measured with the JDK's AOT cache) and
 * need nothing from each other, since the data directory comes from the environment alone.
 *
 * <p>Only read-only commands are opened ahead, because opening for reading creates nothing: a
 * {@code verify --help} or a mistyped option costs one open and close, never a file. The command
 * takes the opened product with {@link #take()} at the point where it would have opened it, and a
 * failure to open surfaces there, as it would have. What no command took is closed by {@link #close()}.
 */
final class OpenAhead implements AutoCloseable {
    /** The first arguments of the commands that open the product for reading and nothing else. */
    private static final Set<String> READ_ONLY = Set.of("verify", "log");

    /** Opens the product; what {@link Main#openForReading()} did before it could be done ahead. */
    @FunctionalInterface
    interface Opener {
        Yuanjian open() throws IOException;
    }

    private final Opener opener;
    private CompletableFuture<Yuanjian> ahead; // null when not opened ahead, or taken

    private OpenAhead(Opener opener, CompletableFuture<Yuanjian> ahead) {
        this.opener = opener;
        this.ahead = ahead;
    }

    /**
     * Starts opening at once when {@code args} name a read-only command, else leaves opening to
     * {@link #take()}.
     */
    static OpenAhead start(String[] args, Opener opener) {
        if (args.length == 0 || !READ_ONLY.contains(args[0])) {
            return new OpenAhead(opener, null);
        }
        CompletableFuture<Yuanjian> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(opener.open());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "yuanjian-open-ahead");
        thread.setDaemon(true);
        thread.start();
        return new OpenAhead(opener, future);
    }

    /**
     * The product opened for reading: the one opened ahead the first time, a fresh one after that.
     * The caller closes it.
     *
     * @throws IOException as opening would have thrown it
     */
    synchronized Yuanjian take() throws IOException {
        CompletableFuture<Yuanjian> future = ahead;
        ahead = null;
        if (future == null) {
            return opener.open();
        }
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    /** Waits for an open that no command took and closes what it opened. */
    @Override
    public synchronized void close() {
        CompletableFuture<Yuanjian> future = ahead;
        ahead = null;
        if (future == null) {
            return;
        }
        try {
            future.get().close();
        } catch (ExecutionException e) {
            // Nothing was opened, and no command asked for it: there is nothing to report.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
