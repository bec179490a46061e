package dev.yuanjian.server;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    private static final int ACCEPT_QUEUE = 1024;
    /** Request line and headers together (Jetty's default): larger is 414 or 431. */
    static final int MAX_HEAD_BYTES = 8 << 10;
    /** Platform threads for acceptors, selectors and Jetty's own non-blocking work; requests run on virtual threads. */
    private static final int PLATFORM_THREADS = 64;
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
        Settings.ClientLimits limits = app.settings().clients();
        SlowClients slowClients = new SlowClients(limits);
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
            // Handlers run on virtual threads, selectors and acceptors on the pool's platform threads: a
            // handler blocked reading a slow upload holds a cheap virtual thread, never one of the few
            // platform threads that accept connections and answer /healthz.
            config.jetty.threadPool = requestThreads();
            config.jetty.modifyHttpConfiguration(http -> {
                // No ambiguous URIs (encoded '/', '\', '.' or '..' segments, '//', ';' parameters, '%25'):
                // a path means one thing to every layer, or it is refused with 400.
                http.setUriCompliance(new UriCompliance("YUANJIAN", UriCompliance.NO_VIOLATION));
                http.setRequestHeaderSize(MAX_HEAD_BYTES);
                http.setIdleTimeout(limits.idle().toMillis());
            });
            config.jetty.modifyServer(jetty -> {
                jetty.setErrorHandler(new JsonErrorHandler(MAX_HEAD_BYTES));
                jetty.insertHandler(slowClients);
                // Jetty leaves the listen backlog at the JDK's 50: a burst of new connections (1,000 clients
                // opening streams at once) would see resets. Connectors exist once the server starts.
                jetty.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (Connector connector : jetty.getConnectors()) {
                            if (connector instanceof ServerConnector server) {
                                server.setAcceptQueueSize(ACCEPT_QUEUE);
                                server.setIdleTimeout(limits.idle().toMillis());
                                server.addBean(slowClients);
                            }
                        }
                    }
                });
            });
            config.jetty.host = app.settings().host();
            config.jetty.port = app.settings().port();
            Routes.install(config, app);
        });
        javalin.start();
        // One clear line now, rather than a failure at each conversation's first request.
        app.vaultKeyProblem().ifPresent(problem -> LOG.warn("privacy vault: {}", problem));
        if (app.privacy().gateway()) {
            // The name recognizers load HanLP's dictionaries (about a second, 28 MB of heap) on their first
            // text: loaded now, in the background, so that the first prompt does not wait for them.
            Thread.ofVirtual().name("yuanjian-privacy-warm-up").start(() -> app.analyzer().analyze("张伟在北京大学工作"));
        }
        return new Server(javalin, app.settings().host());
    }

    /**
     * A new pool as the server uses: {@value #PLATFORM_THREADS} platform threads for Jetty's
     * acceptors, selectors and non-blocking work, and a virtual thread per request, named
     * {@code yuanjian-request-N}. Handlers may block (a gateway stream holds its thread for minutes).
     */
    public static QueuedThreadPool requestThreads() {
        QueuedThreadPool pool = new QueuedThreadPool(PLATFORM_THREADS, 4);
        pool.setName("yuanjian-http");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("yuanjian-request-"));
        return pool;
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
