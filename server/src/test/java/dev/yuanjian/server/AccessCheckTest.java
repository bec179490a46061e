package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.store.Home;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route declares one role, and the one access check enforces each, whatever the route. */
class AccessCheckTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    Yuanjian app;
    Javalin javalin;

    @BeforeEach
    void start() throws Exception {
        Settings settings = new Settings(Settings.PLACEHOLDER_PRODUCER, Settings.DEFAULT_ORIGIN, ExplicitLabel.DEFAULT,
                "127.0.0.1", 0, 1 << 20, "", true);
        app = Yuanjian.open(new Home(dir), settings, Map.of());
        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            Routes.install(c, app);
        }).start();
    }

    @AfterEach
    void stop() {
        try {
            javalin.stop();
        } finally {
            app.close();
        }
    }

    private List<Endpoint> endpoints() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
                .filter(e -> e.method.isHttpMethod()).toList();
    }

    private static Role role(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        assertThat(roles).as(endpoint.method + " " + endpoint.path + " declares a role").isNotNull();
        assertThat(roles.getRoles()).as(endpoint.method + " " + endpoint.path).hasSize(1);
        return (Role) roles.getRoles().iterator().next();
    }

    private HttpResponse<String> call(Endpoint endpoint, String... headers) throws Exception {
        String path = endpoint.path.replace("{contentId}", "01ARZ3NDEKTSV4RRFFQ69G5FAV").replace("<path>", "0/000")
                .replace("<id>", "chat");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + javalin.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(endpoint.method.name(), HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRouteDeclaresExactlyOneRole() {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(14);
        endpoints.forEach(AccessCheckTest::role);
        assertThat(endpoints.stream().filter(e -> e.path.startsWith("/v1/")).map(e -> e.method + " " + e.path))
                .as("the endpoints an unknown /v1 path lists are those registered")
                .containsExactlyInAnyOrderElementsOf(dev.yuanjian.server.gateway.GatewayRoutes.ENDPOINTS);
    }

    @Test
    void withoutKeysThisMachineReachesEveryRoute() throws Exception {
        for (Endpoint endpoint : endpoints()) {
            assertThat(call(endpoint).statusCode()).as(endpoint.method + " " + endpoint.path).isNotIn(401, 403);
        }
    }

    @Test
    void onceAKeyExistsGenerateRoutesNeedItAndPublicOnesDoNot() throws Exception {
        String secret = app.gatekeeper().keys().create("writer", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        String admin = app.gatekeeper().keys().create("operator", Set.of(Scope.ADMIN), ApiKey.Limits.NONE).secret();
        for (Endpoint endpoint : endpoints()) {
            String name = endpoint.method + " " + endpoint.path;
            HttpResponse<String> anonymous = call(endpoint);
            if (role(endpoint) == Role.PUBLIC) {
                assertThat(anonymous.statusCode()).as(name).isNotIn(401, 403);
            } else {
                assertThat(anonymous.statusCode()).as(name).isEqualTo(401);
                assertThat(anonymous.body()).as(name).contains("missing_api_key");
                assertThat(call(endpoint, "Authorization", "Bearer " + admin).statusCode()).as(name).isNotIn(401, 403);
                int withGenerate = call(endpoint, "Authorization", "Bearer " + secret).statusCode();
                if (role(endpoint) == Role.ADMIN) {
                    assertThat(withGenerate).as(name + " with only the generate scope").isEqualTo(403);
                } else {
                    assertThat(withGenerate).as(name).isNotIn(401, 403);
                }
            }
        }
    }

    @Test
    void aRouteWithoutARoleIsRefusedNotServedOpen() throws Exception {
        Javalin bare = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            AccessCheck.install(c, app.gatekeeper());
            ErrorWriter.install(c, List.of());
            c.routes.get("/forgotten", ctx -> ctx.result("open"));
        }).start();
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bare.port() + "/forgotten")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("open").contains("internal_error");
        } finally {
            bare.stop();
        }
    }
}
