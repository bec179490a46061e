package dev.yuanjian.cli;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.server.Server;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve",
        description = {"Run the web app and HTTP API (default http://localhost:8080).",
                "Port and host: --port / --host, else YUANJIAN_PORT / YUANJIAN_HOST, else server.port /",
                "server.host in config.yaml."},
        footer = {"", "Examples:",
                "  yuanjian serve",
                "  yuanjian serve --port 9000",
                "  yuanjian serve --host 0.0.0.0 --port 8080   # other machines too: create an API key first",
                "",
                "An address that cannot be listened on (the port taken by another process,",
                "a port below 1024 without the right) is exit 4 with the address.",
                "", ExitCodes.HELP},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--port", paramLabel = "N", description = "the port to listen on (0 picks a free one)")
    private Integer port;

    @Option(names = "--host", paramLabel = "H", description = "the address to listen on (default 127.0.0.1)")
    private String host;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new HashMap<>(main.env());
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new Main.UserError(ExitCodes.USAGE, "--port must be 0..65535, got " + port);
            }
            env.put("YUANJIAN_PORT", port.toString());
        }
        if (host != null) {
            env.put("YUANJIAN_HOST", host);
        }
        try (Yuanjian app = main.open(env); Server server = start(app)) {
            // Ctrl-C: stop taking requests first; the try block then closes the log and the database.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "yuanjian-shutdown"));
            main.out().printf("Yuanjian is serving at %s  (data: %s; Ctrl-C stops)%n", server.uri(), app.home().dir());
            main.out().printf("  verify a file: %sverify%n", server.uri());
            main.out().flush();
            server.join();
        }
        return ExitCodes.OK;
    }

    /**
     * Starts the server; an address it cannot listen on (the port taken by another process, a port
     * below 1024 without the right, an address not of this machine) is the user's to fix: exit 4
     * with what and where, never a stack trace.
     */
    private static Server start(Yuanjian app) {
        try {
            probe(app.settings().host(), app.settings().port());
            return Server.start(app);
        } catch (RuntimeException | java.io.IOException e) {
            java.net.BindException bind = bindFailure(e);
            if (bind == null) {
                throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((java.io.IOException) e);
            }
            String address = app.settings().host() + ":" + app.settings().port();
            String reason = bind.getMessage() == null ? "cannot bind" : bind.getMessage();
            String what = reason.toLowerCase(java.util.Locale.ROOT).contains("in use")
                    ? "port " + app.settings().port() + " is already in use by another process; choose another with"
                      + " --port N (0 picks a free one) or stop the process that holds it"
                    : reason + "; choose another --port or --host (YUANJIAN_PORT / YUANJIAN_HOST, server.port /"
                      + " server.host in config.yaml)";
            throw new Main.UserError(ExitCodes.IO, "cannot listen on " + address + ": " + what);
        }
    }

    /**
     * Binds the address once and lets it go, so that a taken port is reported by this command alone:
     * Jetty would log its own ERROR line before the error reached us. (Another process can still
     * take the port in between; then Jetty's line comes first and the same message follows.)
     */
    private static void probe(String host, int port) throws java.io.IOException {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is free to it too
            socket.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException taken) {
            throw taken;
        } catch (java.io.IOException other) {
            // An address that does not resolve and the like: Jetty's start says what is wrong.
        }
    }

    private static java.net.BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException bind) {
                return bind;
            }
        }
        return null;
    }
}
