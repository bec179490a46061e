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
                GenerateCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", ExitCodes.HELP})
public final class Main implements Runnable {
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final java.util.List<Extension> extensions;

    /** @param extensions marks and filters to add; {@link Yuanjian#installedExtensions()} for the real command */
    public Main(Map<String, String> env, PrintWriter out, PrintWriter err, java.util.List<Extension> extensions) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.extensions = java.util.List.copyOf(extensions);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(System.getenv(), out, err, args));
    }

    /** Runs one command line and returns its exit code; the tests call this. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return run(env, Yuanjian.installedExtensions(), out, err, args);
    }

    /** As {@link #run(Map, PrintWriter, PrintWriter, String...)} with these extensions (tests, embedders). */
    public static int run(Map<String, String> env, java.util.List<Extension> extensions, PrintWriter out, PrintWriter err,
                          String... args) {
        Main main = new Main(env, out, err, extensions);
        CommandLine commandLine = onlyTheSubcommand(main, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> main.fail(e));
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
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

    /** Prints {@code node} as indented JSON: the {@code --json} output of every command. */
    void printJson(Object node) throws java.io.IOException {
        out.println(dev.yuanjian.app.JsonViews.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** Opens the product; a configuration or database problem becomes a one-line error and exit 4. */
    Yuanjian open() throws IOException {
        return Yuanjian.open(env, extensions);
    }

    /**
     * Opens the product for a command that only reads (verify, log verify, log proof): on a data
     * directory with nothing stored yet it creates no file ({@link Yuanjian#openForReading}).
     */
    Yuanjian openForReading() throws IOException {
        return Yuanjian.openForReading(env, extensions);
    }

    /** Opens the product with {@code env} in place of the process environment (options that override it). */
    Yuanjian open(Map<String, String> env) throws IOException {
        return Yuanjian.open(env, extensions);
    }

    private int fail(Exception e) {
        Throwable cause = e;
        while ((cause instanceof UncheckedIOException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case FormatException bad -> {
                err.println("yuanjian: " + bad.getMessage());
                yield ExitCodes.BAD_INPUT;
            }
            case UserError user -> {
                err.println("yuanjian: " + user.getMessage());
                yield user.exitCode();
            }
            case IOException io -> {
                err.println("yuanjian: " + describe(io));
                yield ExitCodes.IO;
            }
            default -> {
                err.println("yuanjian: internal error: " + cause);
                cause.printStackTrace(err);
                yield ExitCodes.INTERNAL;
            }
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
    static final class UserError extends RuntimeException {
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
