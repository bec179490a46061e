package dev.yuanjian.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.ExplicitLabelFilter;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.server.gateway.GatewayRoutes;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a client talks to in these tests: the product in a temporary home, its gateway routes on a
 * free loopback port (as {@code yuanjian serve} installs them), one public model {@code chat} over an
 * {@link OpenAiLoopback} upstream, and the visible label on for every answer (the strictest setting:
 * a client must still get plain JSON, tool calls and parseable streams).
 */
final class LiveGateway implements AutoCloseable {
    static final String MODEL = "chat";

    final Yuanjian app;
    final OpenAiLoopback upstream;
    private final Gateway gateway;
    private final Javalin javalin;

    LiveGateway(Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults().withPort(0), Map.of());
        upstream = new OpenAiLoopback();
        ModelConfig config = ModelConfig.of(List.of(new Backend("chat#0", MODEL, Backend.Kind.OPENAI,
                        upstream.baseUrl(), "sk-upstream", "upstream-chat", 1, 0, Backend.Limits.NONE)))
                .withTimeouts(new ModelConfig.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofSeconds(20)))
                .withRetries(new ModelConfig.Retries(0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1)))
                .withExplicitText(true);
        gateway = new Gateway(config, app.pipeline(), List.of(),
                List.of(new ExplicitLabelFilter(app.settings().explicit(), config.explicitText())), JsonViews.mapper());
        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            GatewayRoutes.install(c, gateway, app.gatekeeper());
        }).start();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL every OpenAI client takes. */
    String baseUrl() {
        return "http://127.0.0.1:" + javalin.port() + "/v1";
    }

    /** The visible label the gateway puts before an answer to {@code prompt}. */
    String visibleLabel(String prompt) {
        return app.settings().explicit().wordingFor(prompt);
    }

    /** The reply the upstream gives, as the client should see it with the visible label. */
    String labelledReply(String prompt) {
        return visibleLabel(prompt) + "\n\n" + upstream.pieces().stream().reduce("", String::concat);
    }

    /**
     * Checks that the log holds {@code contentId} for exactly {@code text} (its SHA-256), as the
     * client received it, and returns the entry's record.
     */
    ProvenanceRecord assertLogged(String contentId, String text) throws Exception {
        assertThat(contentId).as("content id read through the client").isNotBlank();
        ProvenanceRecord record = app.log().findByContentId(contentId).orElseThrow(
                () -> new AssertionError("no log entry for content id " + contentId)).record();
        assertThat(record.sha256()).as("the log entry's hash is that of the text the client got")
                .isEqualTo(sha256(text));
        assertThat(record.model()).isEqualTo(MODEL);
        return record;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        javalin.stop();
        gateway.close();
        upstream.close();
        app.close();
    }
}
