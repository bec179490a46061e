package dev.yuanjian.cli;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.app.Extension;
import dev.yuanjian.container.FormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code yuanjian} command. */
@Command(name = "yuanjian",
        mixinStandardHelpOptions = true,
        version = "yuanjian 0.1.0",
        description = {"Label, record and verify AI-generated content (GB 45438-2025, transparency log).",
                "Data directory: $YUANJIAN_HOME (default ~/.yuanjian)."},
        subcommands = {ServeCommand.class, LabelCommand.class, VerifyCommand.class, PropagateCommand.class, LogCommand.class,
                GenerateCommand.class, KeysCommand.class, WatermarkCommand.class, PiiCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", ExitCodes.HELP})
public final class Main implements Runnable {
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final java.util.List<Extension> extensions;
    private final boolean interactive;
    private final InputLimits limits;
    /** The product being opened ahead for this run's command, if it only reads (set by {@link #run(Main, String...)}). */
    private OpenAhead ahead;

    /** @param extensions marks and filters to add; {@link Yuanjian#installedExtensions()} for the real command */
    public Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.util.List<Extension> extensions) {
        this(env, out, err, extensions, false);
    }

    /** @param interactive whether stdout and stderr are a terminal (a many-file run then shows its progress) */
    Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.util.List<Extension> extensions,
         boolean interactive) {
        this(env, out, err, extensions, interactive, InputLimits.forHeap(Runtime.getRuntime().maxMemory()));
    }

    /** @param limits the largest file read and the memory the files read at once may take */
    Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.util.List<Extension> extensions,
         boolean interactive, InputLimits limits) {
        this.limits = limits;
        this.env = env;
        this.out = out;
        this.err = err;
        this.extensions = java.util.List.copyOf(extensions);
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        System.exit(run(new Main(env, out, err, Yuanjian.installedExtensions(), Progress.interactive(env)), args));
    }

    /** Runs one command line and returns its exit code; the tests call this. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return run(env, Yuanjian.installedExtensions(), out, err, args);
    }

    /** As {@link #run(Map, PrintWriter, PrintWriter, String...)} with these extensions (tests, embedders). */
    public static int run(Map<String, String> env, java.util.List<Extension> extensions, PrintWriter out, PrintWriter err,
                          String... args) {
        return run(new Main(env, out, err, extensions), args);
    }

    /** Runs one command line with {@code main}'s environment, streams and extensions. */
    static int run(Main main, String... args) {
        int code;
        try (OpenAhead ahead = OpenAhead.start(args, () -> Yuanjian.openForReading(main.env, main.extensions))) {
            main.ahead = ahead;
            CommandLine commandLine = onlyTheSubcommand(main, args);
            commandLine.setOut(main.out);
            commandLine.setErr(main.err);
            commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> main.fail(e));
            try {
                code = commandLine.execute(args);
            } catch (OutOfMemoryError e) {
                // One file's handling outgrew the heap: a clear refusal, not "Exception in thread main".
                code = main.fail(InputLimits.outOfMemory("the input", e));
            }
        } finally {
            main.ahead = null;
        }
        main.out.flush();
        main.err.flush();
        return code;
    }

    /**
     * The command line to parse {@code args} with. When they start with a subcommand's name, only that
     * subcommand is inspected: picocli builds its model by reflection over every option of every
     * command it is given, and for one command that was a sixth of a one-file verify's start-up.
     * Anything else (no arguments, a top-level option, a misspelt command, {@code help}) gets the
     * whole command line, so usage texts and suggestions are unchanged.
     */
    private static CommandLine onlyTheSubcommand(Main main, String... args) {
        if (args.length > 0) {
            for (Class<?> type : Main.class.getAnnotation(Command.class).subcommands()) {
                Command command = type.getAnnotation(Command.class);
                if (command != null && command.name().equals(args[0]) && type != CommandLine.HelpCommand.class) {
                    CommandLine.IFactory factory = CommandLine.defaultFactory();
                    CommandLine.Model.CommandSpec top = CommandLine.Model.CommandSpec.wrapWithoutInspection(main)
                            .name("yuanjian");
                    try {
                        top.addSubcommand(command.name(), new CommandLine(factory.create(type), factory));
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot create the " + command.name() + " command", e);
                    }
                    return new CommandLine(top);
                }
            }
        }
        return new CommandLine(main);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    Map<String, String> env() {
        return env;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    boolean interactive() {
        return interactive;
    }

    InputLimits limits() {
        return limits;
    }

    /** Prints {@code node} as indented JSON: the {@code --json} output of every command. */
    void printJson(Object node) throws java.io.IOException {
        out.println(dev.yuanjian.app.JsonViews.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** Prints {@code node} as one line of compact JSON: a line of {@code --json}'s JSON Lines. */
    void printJsonLine(Object node) throws java.io.IOException {
        out.println(dev.yuanjian.app.JsonViews.mapper().writeValueAsString(node));
    }

    /** Opens the product; a configuration or database problem becomes a one-line error and exit 4. */
    Yuanjian open() throws IOException {
        return Yuanjian.open(env, extensions);
    }

    /**
     * Opens the product for a command that only reads (verify, log verify, log proof, log checkpoint,
     * keys list): on a data directory with nothing stored yet it creates no file
     * ({@link Yuanjian#openForReading}).
     */
    Yuanjian openForReading() throws IOException {
        return ahead != null ? ahead.take() : Yuanjian.openForReading(env, extensions);
    }

    /**
     * Whether {@code app} was opened for reading on a data directory that stores nothing yet (no
     * embedded database file): its log is then an empty one in memory, signed by throwaway keys.
     */
    static boolean nothingStored(Yuanjian app) {
        return app.settings().databaseUrl().isBlank()
                && !java.nio.file.Files.exists(dev.yuanjian.store.Database.h2File(app.home()));
    }

    /** Opens the product with {@code env} in place of the process environment (options that override it). */
    Yuanjian open(Map<String, String> env) throws IOException {
        return Yuanjian.open(env, extensions);
    }

    private int fail(Exception e) {
        Failure failure = classify(e);
        err.println("yuanjian: " + Escape.of(failure.message()));
        if (failure.bug()) {
            failure.cause().printStackTrace(err);
        }
        return failure.exitCode();
    }

    /**
     * What a failure means to the user: its exit code and one-line message.
     *
     * @param cause the exception that says why, unwrapped
     * @param bug   whether it is unexpected (exit 1): then its stack trace belongs on stderr
     */
    record Failure(int exitCode, String message, Throwable cause, boolean bug) {
    }

    /** The same for a whole command and for one file of many: exceptions to exit codes, in one place. */
    static Failure classify(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof UncheckedIOException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case FormatException bad -> new Failure(ExitCodes.BAD_INPUT, bad.getMessage(), bad, false);
            case UserError user -> new Failure(user.exitCode(), user.getMessage(), user, false);
            case IOException io -> new Failure(ExitCodes.IO, describe(io), io, false);
            default -> new Failure(ExitCodes.INTERNAL, "internal error: " + cause, cause, true);
        };
    }

    private static String describe(IOException io) {
        return switch (io) {
            case java.nio.file.NoSuchFileException missing -> "no such file: " + missing.getFile();
            case java.nio.file.AccessDeniedException denied -> "permission denied: " + denied.getFile();
            case java.nio.file.FileAlreadyExistsException exists -> "already exists: " + exists.getFile();
            default -> io.getMessage() == null ? io.toString() : io.getMessage();
        };
    }

    /** An error the user can act on, with the exit code it deserves. */
    static class UserError extends RuntimeException {
        private final int exitCode;

        UserError(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
