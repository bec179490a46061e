package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.keys.Access;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Scope;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys at the gateway: scopes, limits, budgets; 401/403/429 in OpenAI's shape. */
class ApiKeysTest {
    @TempDir
    Path dir;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Calls.Answer chat(String key) throws Exception {
        return key == null ? Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat"))
                : Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat"), "Authorization", "Bearer " + key);
    }

    @Test
    void withoutKeysOnlyLocalCallersAreServed() throws Exception {
        assertThat(chat("sk-anything-an-sdk-sends").status()).isEqualTo(200);
        Access remote = f.gatekeeper.admit(null, false, Scope.GENERATE);
        assertThat(remote).isInstanceOf(Access.Denied.class);
        assertThat(((Access.Denied) remote).status()).isEqualTo(403);
        assertThat(((Access.Denied) remote).message()).contains("yuanjian keys create");
    }

    @Test
    void onceAKeyExistsEveryRequestNeedsOneWithTheRightScope() throws Exception {
        String generate = f.gatekeeper.keys().create("app", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        String verifyOnly = f.gatekeeper.keys().create("auditor", Set.of(Scope.VERIFY), ApiKey.Limits.NONE).secret();

        assertThat(chat(generate).status()).isEqualTo(200);
        Calls.Answer none = chat(null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("missing_api_key");
        assertThat(chat("yj_wrong_key").errorCode()).isEqualTo("invalid_api_key");
        Calls.Answer scoped = chat(verifyOnly);
        assertThat(scoped.status()).isEqualTo(403);
        assertThat(scoped.json().at("/error/message").asText()).contains("generate");

        String id = generate.substring(3, 11);
        assertThat(f.gatekeeper.keys().revoke(id)).isTrue();
        // Two keys made in the same millisecond list in id order, so look each up by its id.
        assertThat(f.gatekeeper.keys().list()).allSatisfy(k -> assertThat(k.revoked().isPresent()).as(k.id())
                .isEqualTo(k.id().equals(id)));
    }

    /** Revoking the last key, leaked perhaps, must lock the gateway, never reopen it to local callers. */
    @Test
    void revokingEveryKeyLeavesKeysRequired() throws Exception {
        String only = f.gatekeeper.keys().create("app", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        assertThat(f.gatekeeper.keys().revoke(only.substring(3, 11))).isTrue();
        // A fresh gatekeeper over the same database: no cached answer from before the revocation.
        dev.yuanjian.keys.Gatekeeper fresh = new dev.yuanjian.keys.Gatekeeper(
                new dev.yuanjian.keys.ApiKeys(f.app.database().dataSource(), java.time.Clock.systemUTC()));
        Access local = fresh.admit(null, true, Scope.GENERATE);
        assertThat(local).isInstanceOf(Access.Denied.class);
        assertThat(((Access.Denied) local).status()).isEqualTo(401);
        assertThat(fresh.admit("Bearer " + only, true, Scope.GENERATE)).isInstanceOf(Access.Denied.class);
    }

    @Test
    void requestsPerMinuteAndTokenBudgetsAre429s() throws Exception {
        String limited = f.gatekeeper.keys().create("rpm", Set.of(Scope.GENERATE), new ApiKey.Limits(2, 0, 0)).secret();
        assertThat(chat(limited).status()).isEqualTo(200);
        assertThat(chat(limited).status()).isEqualTo(200);
        Calls.Answer third = chat(limited);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(third.json().at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(Integer.parseInt(third.header("Retry-After"))).isBetween(1, 30);

        String budget = f.gatekeeper.keys().create("budget", Set.of(Scope.ADMIN), new ApiKey.Limits(0, 0, 10)).secret();
        assertThat(chat(budget).status()).isEqualTo(200); // uses 29 tokens (loopback usage)
        Calls.Answer over = chat(budget);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.errorCode()).isEqualTo("insufficient_quota");
        assertThat(over.json().at("/error/type").asText()).as("OpenAI's type for a spent budget").isEqualTo("insufficient_quota");
        assertThat(over.json().at("/error/message").asText()).isNotBlank();
        assertThat(f.gatekeeper.keys().list().getLast().tokensUsed()).isEqualTo(29);
    }
}
