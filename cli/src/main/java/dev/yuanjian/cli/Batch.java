package dev.yuanjian.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.container.UnsupportedFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one command over many files and reports them: one line per file in path order, then a
 * summary; the exit code is the worst file's ({@link ExitCodes#worst}).
 *
 * <p>Files are processed by a fixed pool of {@code jobs} threads (one per core by default), with
 * at most {@link #IN_FLIGHT_PER_JOB} files per thread started and not yet printed: memory stays
 * bounded whatever the number or size of the files, and a slow file holds back only the printing,
 * never the other workers for long. The files being read at once share the memory budget of
 * {@link InputLimits}: a worker waits for its file's size to be free before reading it. A file's failure (unreadable, unsupported, corrupt, its output
 * refused) is its own line and counts in the summary; the others go on.
 *
 * <p>{@code --json} prints JSON Lines: one compact object per file, {@code "type": "file"}, with
 * {@code path}, {@code outcome}, {@code exitCode} and either the command's own result fields or an
 * {@code error} object ({@code code}, {@code message}); then one {@code "type": "summary"} object
 * with {@code files}, {@code outcomes} (counts by outcome) and {@code exitCode}. A reader that
 * finds no summary line knows the run was cut short.
 */
final class Batch {
    /** Files a worker may have started and not yet printed: enough to keep it busy behind a slow file. */
    static final int IN_FLIGHT_PER_JOB = 4;

    /**
     * What happened to one file.
     *
     * @param outcome  lowercase word: the verdict ({@code intact}, ...), {@code labelled}, or an error
     *                 kind ({@code unsupported}, {@code invalid}, {@code error})
     * @param detail   the rest of its line: a short reason or where the output went
     * @param json     the command's result fields for {@code --json} (null for an error, or without --json)
     * @param failed   whether the file could not be processed: {@code detail} is then the error message
     * @param bug      an unexpected exception, whose stack trace goes to stderr with the line
     * @param tooLarge whether the file was refused for its size ({@code error.code} {@code too_large})
     */
    record Outcome(Path path, String outcome, String detail, int exitCode, ObjectNode json, boolean failed, Throwable bug,
                   boolean tooLarge) {
        static Outcome of(Path path, String outcome, String detail, int exitCode, ObjectNode json) {
            return new Outcome(path, outcome, detail, exitCode, json, false, null, false);
        }

        /** The line of a file that could not be processed, from the exception that said why. */
        static Outcome failed(Path path, Throwable failure) {
            Main.Failure f = Main.classify(failure);
            String outcome = switch (f.cause()) {
                case UnsupportedFormatException u -> "unsupported";
                case dev.yuanjian.container.FormatException bad -> "invalid";
                default -> "error";
            };
            return new Outcome(path, outcome, f.message(), f.exitCode(), null, true, f.bug() ? f.cause() : null,
                    f.cause() instanceof InputLimits.TooLarge);
        }

        private String code() {
            return switch (outcome) {
                case "unsupported" -> "unsupported_format";
                case "invalid" -> "invalid_file";
                default -> bug != null ? "internal_error" : exitCode == ExitCodes.IO ? "io_error"
                        : tooLarge ? "too_large" : "refused";
            };
        }
    }

    /** One file's work; an exception becomes its error line. */
    interface Work {
        Outcome process(Path file) throws Exception;
    }

    private final Main main;
    private final int jobs;
    private final boolean json;
    private final boolean progress;

    /** @param jobs worker threads, at least 1 */
    Batch(Main main, int jobs, boolean json) {
        this.main = main;
        this.jobs = Math.max(1, jobs);
        this.json = json;
        this.progress = main.interactive() && !json;
    }

    /** Processes every input, prints as described above, and returns the worst exit code. */
    int run(List<Inputs.Input> inputs, Work work) throws Exception {
        Progress bar = Progress.of(progress, main.err(), inputs.size(), main.env());
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> codes = new TreeMap<>();
        int worst = ExitCodes.OK;
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "yuanjian-file-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<Outcome>> pending = new ArrayDeque<>();
            int printed = 0;
            for (Inputs.Input input : inputs) {
                if (pending.size() >= jobs * IN_FLIGHT_PER_JOB) {
                    Outcome done = take(pending);
                    worst = report(done, bar, ++printed, counts, codes, worst);
                }
                pending.add(pool.submit(() -> process(input, work, main.limits())));
            }
            while (!pending.isEmpty()) {
                worst = report(take(pending), bar, ++printed, counts, codes, worst);
            }
        } finally {
            bar.clear();
            pool.shutdownNow();
        }
        summary(inputs.size(), counts, codes, worst);
        return worst;
    }

    private static Outcome process(Inputs.Input input, Work work, InputLimits limits) {
        if (input.unreadable().isPresent()) {
            return Outcome.failed(input.path(), input.unreadable().get());
        }
        // The file's size is held against the memory budget until its line is ready: the workers
        // together never read more than the budget at once.
        try (InputLimits.Reservation held = limits.reserve(input.path())) {
            return work.process(input.path());
        } catch (Exception | StackOverflowError e) { // a pathologically nested file is that file's problem
            return Outcome.failed(input.path(), e);
        } catch (OutOfMemoryError e) {
            // The size check passed but handling the file took more than the heap had (a small -Xmx): the
            // allocation that failed was this file's, and its memory is free again once we are out here.
            return Outcome.failed(input.path(), InputLimits.outOfMemory(input.path().toString(), e));
        }
    }

    private static Outcome take(Deque<Future<Outcome>> pending) throws InterruptedException {
        try {
            return pending.removeFirst().get();
        } catch (ExecutionException e) { // only an Error gets here (process() turns exceptions into lines)
            throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
        }
    }

    private int report(Outcome o, Progress bar, int printed, Map<String, Integer> counts, Map<String, Integer> codes,
                       int worst) throws Exception {
        bar.clear();
        if (json) {
            ObjectNode line = JsonViews.mapper().createObjectNode();
            line.put("type", "file");
            line.put("path", o.path().toString());
            line.put("outcome", o.outcome());
            line.put("exitCode", o.exitCode());
            if (o.failed()) {
                line.setAll(JsonViews.error(o.code(), o.detail()));
            } else if (o.json() != null) {
                line.setAll(o.json());
            }
            main.printJsonLine(line);
        } else {
            main.out().println(Escape.of(o.path()) + ": " + o.outcome().toUpperCase(Locale.ROOT)
                    + (o.detail().isEmpty() ? "" : "  " + Escape.of(o.detail())));
        }
        if (o.bug() != null) {
            main.err().println("yuanjian: internal error on " + Escape.of(o.path()) + ":");
            o.bug().printStackTrace(main.err());
        }
        main.out().flush();
        counts.merge(o.outcome(), 1, Integer::sum);
        codes.putIfAbsent(o.outcome(), o.exitCode());
        bar.show(printed, o.path());
        return ExitCodes.worst(worst, o.exitCode());
    }

    private void summary(int files, Map<String, Integer> counts, Map<String, Integer> codes, int worst) throws Exception {
        // Best outcomes first, as the exit codes rank them, so the eye ends on the worst.
        List<String> order = counts.keySet().stream()
                .sorted(Comparator.comparing((String k) -> -ExitCodes.severity(codes.get(k))).thenComparing(k -> k))
                .toList();
        if (json) {
            ObjectNode line = JsonViews.mapper().createObjectNode();
            line.put("type", "summary");
            line.put("files", files);
            ObjectNode outcomes = line.putObject("outcomes");
            order.forEach(k -> outcomes.put(k, counts.get(k)));
            line.put("exitCode", worst);
            main.printJsonLine(line);
            return;
        }
        StringBuilder text = new StringBuilder().append(files).append(files == 1 ? " file" : " files");
        for (int i = 0; i < order.size(); i++) {
            text.append(i == 0 ? ": " : ", ").append(order.get(i)).append(' ').append(counts.get(order.get(i)));
        }
        main.out().println(text.append(" (exit ").append(worst).append(')'));
    }
}
