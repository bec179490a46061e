package dev.yuanjian.cli;

import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.server.Server;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve",
        description = {"Run the web app and HTTP API (default http://127.0.0.1:8080).",
                "Port and host: server.port / server.host in config.yaml, or YUANJIAN_PORT / YUANJIAN_HOST."},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Override
    public Integer call() throws Exception {
        Yuanjian app = main.open();
        Server server = Server.start(app);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            app.close();
            stopped.countDown();
        }, "yuanjian-shutdown"));
        main.out().printf("Yuanjian is serving at http://%s:%d/  (data: %s; Ctrl-C stops)%n",
                displayHost(app.settings().host()), server.port(), app.home().dir());
        main.out().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host;
    }
}
