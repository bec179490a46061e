package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.ApiKeys;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.server.Http.Multipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product API under API keys: labelling needs the generate scope, verifying is public unless configured. */
class ProductApiKeysTest {
    @TempDir
    Path dir;

    private static Multipart markdown() {
        return new Multipart().file("file", "a.md", "# Title\n\nGenerated words.\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String create(Http http, String name, Scope scope) {
        return new ApiKeys(http.app.database().dataSource(), Clock.systemUTC())
                .create(name, Set.of(scope), ApiKey.Limits.NONE).secret();
    }

    @Test
    void withoutKeysThisMachineMayLabel() throws Exception {
        try (Http http = new Http(dir, 1 << 20)) {
            assertThat(http.post("/api/v1/label", markdown()).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void onceAKeyExistsLabellingNeedsTheGenerateScope() throws Exception {
        try (Http http = new Http(dir, 1 << 20)) {
            String generate = create(http, "writer", Scope.GENERATE);
            String verify = create(http, "auditor", Scope.VERIFY);

            var anonymous = http.post("/api/v1/label", markdown());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(Http.json(anonymous).at("/error/code").asText()).isEqualTo("missing_api_key");

            var wrongScope = http.post("/api/v1/label", markdown(), "Authorization", "Bearer " + verify);
            assertThat(wrongScope.statusCode()).isEqualTo(403);
            assertThat(Http.json(wrongScope).at("/error/code").asText()).isEqualTo("missing_scope");

            assertThat(http.post("/api/v1/label", markdown(), "Authorization", "Bearer " + generate).statusCode())
                    .isEqualTo(201);
            assertThat(http.post("/api/v1/verify", markdown()).statusCode()).as("verify stays public").isEqualTo(200);
        }
    }

    @Test
    void privateVerifyNeedsTheVerifyScope() throws Exception {
        try (Http http = new Http(dir, 1 << 20, false)) {
            String verify = create(http, "auditor", Scope.VERIFY);
            String generate = create(http, "writer", Scope.GENERATE);

            assertThat(http.post("/api/v1/verify", markdown()).statusCode()).isEqualTo(401);
            assertThat(http.post("/api/v1/verify", markdown(), "Authorization", "Bearer " + generate).statusCode())
                    .isEqualTo(403);
            assertThat(http.post("/api/v1/verify", markdown(), "Authorization", "Bearer " + verify).statusCode())
                    .isEqualTo(200);
        }
    }
}
