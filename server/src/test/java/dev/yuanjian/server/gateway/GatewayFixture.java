package dev.yuanjian.server.gateway;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.ExplicitLabelFilter;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** A product in a temporary home, loopback upstreams, and a Javalin serving only the gateway routes. */
final class GatewayFixture implements AutoCloseable {
    final Yuanjian app;
    final OpenAiLoopback upstream;
    final OpenAiLoopback second;
    final Gateway gateway;
    final Gatekeeper gatekeeper;
    final Javalin javalin;

    GatewayFixture(Path dir, UnaryOperator<ModelConfig> tune) throws Exception {
        this(dir, (config, upstream) -> tune.apply(config), null);
    }

    /** With the visible label at {@code position} (null: the product's default). */
    GatewayFixture(Path dir, UnaryOperator<ModelConfig> tune, ExplicitLabel.Position position) throws Exception {
        this(dir, (config, upstream) -> tune.apply(config), position);
    }

    /** {@code tune} also gets the first upstream, to add backends of its own over it. */
    GatewayFixture(Path dir, BiFunction<ModelConfig, OpenAiLoopback, ModelConfig> tune) throws Exception {
        this(dir, tune, null);
    }

    private GatewayFixture(Path dir, BiFunction<ModelConfig, OpenAiLoopback, ModelConfig> tune,
                           ExplicitLabel.Position position) throws Exception {
        app = open(dir);
        ExplicitLabel configured = app.settings().explicit();
        ExplicitLabel label = position == null ? configured
                : new ExplicitLabel(configured.chinese(), configured.english(), position);
        upstream = new OpenAiLoopback();
        second = new OpenAiLoopback().reply("Hello from the second backend.");
        ModelConfig config = ModelConfig.of(List.of(
                        backend("chat#0", "chat", upstream.baseUrl(), 0),
                        backend("chat#1", "chat", second.baseUrl(), 1),
                        backend("solo#0", "solo", upstream.baseUrl(), 0),
                        new Backend("sd#0", "sd", Backend.Kind.SD_WEBUI, upstream.root(), "", "", 1, 0, Backend.Limits.NONE)))
                .withTimeouts(new ModelConfig.Timeouts(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2),
                        java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(10)))
                .withRetries(new ModelConfig.Retries(1, java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofSeconds(3)));
        ModelConfig tuned = tune.apply(config, upstream);
        gateway = new Gateway(tuned, app.pipeline(), List.of(),
                List.of(new ExplicitLabelFilter(label, tuned.explicitText())), JsonViews.mapper());
        gatekeeper = app.gatekeeper();
        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            GatewayRoutes.install(c, gateway, gatekeeper);
        }).start();
    }

    /** A product in {@code dir} on the default H2 database, serving on a free port. */
    static Yuanjian open(Path dir) throws Exception {
        return Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults().withPort(0), Map.of());
    }

    static Backend backend(String id, String name, URI base, int priority) {
        return new Backend(id, name, Backend.Kind.OPENAI, base, "sk-upstream", "upstream-" + name, 1, priority,
                Backend.Limits.NONE);
    }

    String base() {
        return "http://127.0.0.1:" + javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
        upstream.close();
        second.close();
        app.close();
    }
}
