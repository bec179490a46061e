package dev.yuanjian.cli;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.server.Server;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve",
        description = {"Run the web app and HTTP API (default http://localhost:8080).",
                "Port and host: server.port / server.host in config.yaml, or YUANJIAN_PORT / YUANJIAN_HOST."},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Override
    public Integer call() throws Exception {
        try (Yuanjian app = main.open(); Server server = Server.start(app)) {
            // Ctrl-C: stop taking requests first; the try block then closes the log and the database.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "yuanjian-shutdown"));
            main.out().printf("Yuanjian is serving at %s  (data: %s; Ctrl-C stops)%n", server.uri(), app.home().dir());
            main.out().printf("  verify a file: %sverify%n", server.uri());
            main.out().flush();
            server.join();
        }
        return ExitCodes.OK;
    }
}
