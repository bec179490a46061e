package dev.yuanjian.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code [n/N] path} line a many-file run keeps updated on a terminal's stderr, cleared before
 * each result line and at the end, so that what stays on the screen is the results alone. Off
 * unless the process talks to a terminal ({@link #interactive}): pipes, files and tests get none.
 */
final class Progress {
    private static final String CLEAR = "\r\033[K";

    private final PrintWriter err;
    private final int total;
    private final int width;
    private boolean shown;

    private Progress(PrintWriter err, int total, int width) {
        this.err = err;
        this.total = total;
        this.width = width;
    }

    /** Progress for {@code total} files on {@code err}, or none when {@code enabled} is false. */
    static Progress of(boolean enabled, PrintWriter err, int total, Map<String, String> env) {
        int width = 80;
        try {
            width = Math.max(20, Integer.parseInt(env.getOrDefault("COLUMNS", "80").trim()));
        } catch (NumberFormatException ignored) {
            // an odd COLUMNS leaves the default
        }
        return enabled ? new Progress(err, total, width) : new Progress(null, total, width);
    }

    /**
     * Whether this process talks to a terminal: a console on stdin and stdout (JDK 21's test; on 22
     * and later {@code Console.isTerminal()}, which the console of a redirected process denies), and a
     * terminal that can move the cursor ({@code TERM} not {@code dumb}).
     */
    static boolean interactive(Map<String, String> env) {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true; // on 21 a console exists only for a terminal
        }
    }

    /** Shows {@code done} of the total, with the file just finished. */
    void show(int done, Path path) {
        if (err == null) {
            return;
        }
        String head = "[" + done + "/" + total + "] ";
        String name = Escape.of(path);
        int room = width - 1 - head.length();
        if (name.length() > room) {
            name = "…" + name.substring(name.length() - Math.max(0, room - 1));
        }
        err.print(CLEAR + head + name);
        err.flush();
        shown = true;
    }

    /** Removes the line, if one is shown: before a result line goes to the same screen, and at the end. */
    void clear() {
        if (err != null && shown) {
            err.print(CLEAR);
            err.flush();
            shown = false;
        }
    }
}
