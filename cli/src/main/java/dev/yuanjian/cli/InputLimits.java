package dev.yuanjian.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * How much of the Java heap the files a command reads may take: a file is read whole into memory
 * (every format is parsed from its bytes), so a file larger than {@link #maxInputBytes()} is refused
 * before it is read, and the files being processed at once share a budget of bytes.
 *
 * <p>The largest file is the smaller of {@value #CEILING_BYTES} bytes (1 GiB) and a quarter of the
 * heap ({@code -Xmx}; the launcher gives one-shot commands 2 GB, so 512 MiB there). The budget is a
 * third of the heap: a worker reserves its file's size (at most the whole budget) before reading it
 * and gives it back once the file's line is ready, so eight workers on eight large files wait for
 * each other instead of exhausting the heap. Sizes are counted in KiB.
 */
final class InputLimits {
    /** The largest file accepted whatever the heap: 1 GiB (a byte array holds at most 2 GiB). */
    static final long CEILING_BYTES = 1L << 30;

    private final long maxInputBytes;
    private final int budgetKiB;
    private final Semaphore budget;

    /**
     * @param maxInputBytes the largest file read, in bytes
     * @param budgetBytes   how many bytes the files being processed at once may hold in all
     */
    InputLimits(long maxInputBytes, long budgetBytes) {
        this.maxInputBytes = Math.min(maxInputBytes, CEILING_BYTES);
        this.budgetKiB = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / 1024));
        this.budget = new Semaphore(budgetKiB, true); // fair: a large file is not overtaken forever by small ones
    }

    /** The limits for a heap of {@code maxHeapBytes} ({@link Runtime#maxMemory()}), as described above. */
    static InputLimits forHeap(long maxHeapBytes) {
        return new InputLimits(Math.min(CEILING_BYTES, maxHeapBytes / 4), maxHeapBytes / 3);
    }

    long maxInputBytes() {
        return maxInputBytes;
    }

    /** A reservation of budget, given back by {@link #close()}. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until {@code file}'s size (at most the whole budget) is free in the budget and reserves it.
     * A file whose size cannot be read reserves nothing: reading it will fail and say why.
     */
    Reservation reserve(Path file) throws InterruptedException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException | SecurityException unreadable) {
            size = 0;
        }
        int permits = (int) Math.max(1, Math.min(budgetKiB, (size + 1023) / 1024));
        budget.acquire(permits);
        return () -> budget.release(permits);
    }

    /**
     * The bytes of {@code file}.
     *
     * @throws Main.UserError (exit 3, {@link TooLarge}) when the file is larger than {@link #maxInputBytes()},
     *     checked before it is read (a pipe or device: once that many bytes have been read)
     * @throws IOException when it cannot be read, or grew while it was read
     */
    byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > maxInputBytes) {
            throw tooLarge(file, size);
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.isRegularFile(file)) {
                byte[] bytes = new byte[(int) size];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (in.read() >= 0) {
                    throw new IOException(file + " grew while it was read; read it again once it is complete");
                }
                return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
            }
            // A pipe or device reports no size: read at most one byte more than allowed.
            byte[] bytes = in.readNBytes((int) maxInputBytes + 1);
            if (bytes.length > maxInputBytes) {
                throw tooLarge(file, -1);
            }
            return bytes;
        }
    }

    private TooLarge tooLarge(Path file, long size) {
        return new TooLarge(file + (size >= 0 ? " is " + human(size) : " gives more than " + human(maxInputBytes))
                + ", more than the " + human(maxInputBytes) + " a file may have here (the smaller of 1 GiB and a quarter"
                + " of the Java heap, " + human(Runtime.getRuntime().maxMemory()) + "): split it, or give Java more"
                + " memory with YUANJIAN_JAVA_OPTS=-Xmx8g (up to the 1 GiB ceiling)");
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * The same refusal after the fact: handling {@code what} (a file, or "the input" of a one-file
     * command) ran out of heap although the size was within the limit (the limit leaves room for the
     * usual working copies, not for a very small heap).
     */
    static TooLarge outOfMemory(String what, OutOfMemoryError error) {
        TooLarge tooLarge = new TooLarge(what + " needs more memory than Java's heap of "
                + human(Runtime.getRuntime().maxMemory()) + " leaves (" + error.getMessage() + "): give Java more"
                + " memory with YUANJIAN_JAVA_OPTS=-Xmx2g, or process fewer files at once with -j 1");
        tooLarge.initCause(error);
        return tooLarge;
    }

    /** A file over the size limit: unusable input (exit 3), {@code too_large} in JSON. */
    static final class TooLarge extends Main.UserError {
        TooLarge(String message) {
            super(ExitCodes.BAD_INPUT, message);
        }
    }
}
