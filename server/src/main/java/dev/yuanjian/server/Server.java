package dev.yuanjian.server;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import java.util.concurrent.CountDownLatch;

/**
 * The running HTTP server over one opened product. It does not own the product: close the server
 * first, then the {@link Yuanjian} it serves.
 *
 * <pre>{@code
 * try (Yuanjian app = Yuanjian.open(System.getenv());
 *      Server server = Server.start(app)) {
 *     Runtime.getRuntime().addShutdownHook(new Thread(server::close));
 *     System.out.println("Serving on " + server.uri());
 *     server.join(); // returns once Ctrl-C (the hook) has stopped the server
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private static final int ACCEPT_QUEUE = 1024;
    private final Javalin javalin;
    private final String host;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Server(Javalin javalin, String host) {
        this.javalin = javalin;
        this.host = host;
    }

    /**
     * Binds {@code settings().host()} and {@code settings().port()} (0 picks a free port; read it
     * from {@link #port()}) and serves until {@link #close()}.
     */
    public static Server start(Yuanjian app) {
        long maxUpload = app.settings().maxUploadBytes();
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(JsonViews.mapper(), false));
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = Uploads.maxRequestBytes(maxUpload);
            // Defence in depth: Routes refuses oversize bodies by their Content-Length; Jetty's parser
            // enforces the same limits on what it actually reads.
            config.jetty.multipartConfig.maxFileSize(maxUpload, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(Uploads.maxRequestBytes(maxUpload), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            // Jetty leaves the listen backlog at the JDK's 50: a burst of new connections (1,000 clients
            // opening streams at once) would see resets. Connectors exist once the server starts.
            config.jetty.modifyServer(jetty -> jetty.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector connector : jetty.getConnectors()) {
                        if (connector instanceof ServerConnector server) {
                            server.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }
                }
            }));
            config.jetty.host = app.settings().host();
            config.jetty.port = app.settings().port();
            Routes.install(config, app);
        });
        javalin.start();
        return new Server(javalin, app.settings().host());
    }

    /** The port actually bound (useful when the settings asked for port 0). */
    public int port() {
        return javalin.port();
    }

    /**
     * The base address to print for users, e.g. {@code http://127.0.0.1:8080/}; a wildcard bind
     * address (0.0.0.0, ::) is shown as localhost, which reaches it from this machine.
     */
    public URI uri() {
        String shown = host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port() + "/");
    }

    /** Blocks until the server has been closed (by another thread or a shutdown hook). */
    public void join() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting requests and finishes the ones in flight. Safe to call more than once. */
    @Override
    public void close() {
        try {
            javalin.stop();
        } finally {
            stopped.countDown();
        }
    }
}
