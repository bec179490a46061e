package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.app.Extension;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.ApiKeys;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.privacy.EmailRecognizer;
import dev.yuanjian.privacy.Recognizer;
import dev.yuanjian.privacy.vault.Vault;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/pii/*}: our shapes, Presidio's analyzer shape, scopes, and no original in any log or file. */
class PrivacyApiTest {
    static final Extension EMAIL = new Extension() {
        @Override
        public List<Recognizer> recognizers(Context context) {
            return List.of(new EmailRecognizer());
        }
    };

    @TempDir
    Path dir;

    private Http start(String config) throws Exception {
        Home home = new Home(dir.resolve("home")).ensureExists();
        if (config != null) {
            Files.writeString(home.resolve("config.yaml"), config);
        }
        Map<String, String> env = Map.of("YUANJIAN_HOME", home.dir().toString(), "YUANJIAN_PORT", "0");
        return new Http(Yuanjian.open(env, List.of(EMAIL)));
    }

    private static HttpResponse<byte[]> post(Http http, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build());
    }

    @Test
    void scanAnswersOursAndPresidiosShapeWithCodePointOffsets() throws Exception {
        try (Http http = start(null)) {
            // U+1F600 is two UTF-16 units and one Python index.
            String text = "\uD83D\uDE00 mail me: a.b@example.com";
            String escaped = JsonViewsQuote.of(text);
            var ours = post(http, "/api/v1/pii/scan", "{\"text\":" + escaped + "}");
            assertThat(ours.statusCode()).as(Http.text(ours)).isEqualTo(200);
            JsonNode o = Http.json(ours);
            assertThat(o.at("/entities/0/type").asText()).isEqualTo("EMAIL_ADDRESS");
            assertThat(o.at("/entities/0/start").asInt()).isEqualTo(text.indexOf("a.b"));
            assertThat(o.at("/entities/0/end").asInt()).isEqualTo(text.length());

            var presidio = post(http, "/api/v1/pii/scan", "{\"text\":" + escaped + ",\"language\":\"en\"}");
            assertThat(presidio.statusCode()).isEqualTo(200);
            JsonNode p = Http.json(presidio);
            assertThat(p.isArray()).isTrue();
            assertThat(p).hasSize(1);
            JsonNode e = p.get(0);
            assertThat(e.properties()).extracting(Map.Entry::getKey)
                    .containsExactlyInAnyOrder("entity_type", "start", "end", "score");
            assertThat(e.get("entity_type").asText()).isEqualTo("EMAIL_ADDRESS");
            int cpStart = text.codePointCount(0, text.indexOf("a.b"));
            assertThat(e.get("start").asInt()).isEqualTo(cpStart).isEqualTo(text.indexOf("a.b") - 1);
            assertThat(e.get("end").asInt()).isEqualTo(text.codePointCount(0, text.length()));
            assertThat(e.get("score").asDouble()).isEqualTo(1.0); // the built-in e-mail recognizer's

            assertThat(Http.json(post(http, "/api/v1/pii/scan", "{\"text\":" + escaped
                    + ",\"language\":\"zh\",\"score_threshold\":0.95}"))).hasSize(1);
            // A Presidio threshold above every score finds nothing (Presidio keeps scores >= the threshold).
            String noMail = JsonViewsQuote.of("mail me: nobody, call 张三");
            assertThat(Http.json(post(http, "/api/v1/pii/scan", "{\"text\":" + noMail
                    + ",\"language\":\"zh\",\"entities\":[\"EMAIL_ADDRESS\"]}"))).isEmpty();
            assertThat(Http.json(post(http, "/api/v1/pii/scan", "{\"text\":" + escaped
                    + ",\"language\":\"zh\",\"entities\":[\"PHONE_NUMBER\"]}"))).isEmpty();
            assertThat(Http.json(post(http, "/api/v1/pii/scan", "{\"text\":" + escaped
                    + ",\"language\":\"zh\",\"entities\":[\"EMAIL_ADDRESS\"]}"))).hasSize(1);
            var french = post(http, "/api/v1/pii/scan", "{\"text\":\"x\",\"language\":\"fr\"}");
            assertThat(french.statusCode()).isEqualTo(400);
            assertThat(Http.json(french).at("/error/code").asText()).isEqualTo("unsupported_language");
        }
    }

    @Test
    void maskUsesTheCallersPolicyAndTheVaultForConversations() throws Exception {
        try (Http http = start("privacy:\n  policy:\n    default: replace\n  keys:\n    hasher:\n      EMAIL: hash\n")) {
            ApiKeys keys = http.app.apiKeys();
            String plain = keys.create("plain", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
            String hasher = keys.create("hasher", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
            String body = "{\"text\":\"to x@example.com and y@example.com\",\"conversation\":\"c1\"}";
            var first = post(http, "/api/v1/pii/mask", body, "Authorization", "Bearer " + plain);
            assertThat(first.statusCode()).as(Http.text(first)).isEqualTo(200);
            assertThat(Http.json(first).get("text").asText()).isEqualTo("to [EMAIL_1] and [EMAIL_2]");
            var second = post(http, "/api/v1/pii/mask", "{\"text\":\"only y@example.com\",\"conversation\":\"c1\"}",
                    "Authorization", "Bearer " + plain);
            assertThat(Http.json(second).get("text").asText()).as("same conversation, same placeholder")
                    .isEqualTo("only [EMAIL_2]");
            var hashed = post(http, "/api/v1/pii/mask", body, "Authorization", "Bearer " + hasher);
            assertThat(Http.json(hashed).get("text").asText()).matches("to <EMAIL:hmac:[0-9a-f]{16}> and <EMAIL:hmac:[0-9a-f]{16}>");
            assertThat(post(http, "/api/v1/pii/mask", body).statusCode()).isEqualTo(401);
            var broken = post(http, "/api/v1/pii/mask", "{\"text\": \"secret@example.com", "Authorization", "Bearer " + plain);
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(Http.text(broken)).doesNotContain("secret@").contains("line 1");
            var longId = post(http, "/api/v1/pii/mask", "{\"text\":\"x\",\"conversation\":\"" + "c".repeat(201) + "\"}",
                    "Authorization", "Bearer " + plain);
            assertThat(longId.statusCode()).isEqualTo(400);
            var notText = post(http, "/api/v1/pii/mask", "{\"text\":42}", "Authorization", "Bearer " + plain);
            assertThat(Http.json(notText).at("/error/message").asText()).isEqualTo("text must be a string");
            // Expect: 100-continue, so that the refusal from Content-Length alone reaches the client
            // (otherwise the server's close may reset the connection while the body is still being sent).
            var huge = http.send(HttpRequest.newBuilder(http.uri("/api/v1/pii/scan")).timeout(Duration.ofSeconds(20))
                    .expectContinue(true).header("Content-Type", "application/json").header("Authorization", "Bearer " + plain)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + "a".repeat(PrivacyHandlers.MAX_BODY_BYTES)
                            + "\"}", StandardCharsets.UTF_8)).build());
            assertThat(huge.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void aConversationRequestWithTooManyNewValuesIsRefused413WithNothingStored() throws Exception {
        try (Http http = start(null)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i <= Vault.Limits.DEFAULT.newPerRequest(); i++) {
                text.append("u").append(i).append("@example.com, ");
            }
            var refused = post(http, "/api/v1/pii/mask", "{\"text\":\"" + text + "\",\"conversation\":\"big\"}");
            assertThat(refused.statusCode()).as(Http.text(refused)).isEqualTo(413);
            assertThat(Http.json(refused).at("/error/code").asText()).isEqualTo("too_many_personal_values");
            assertThat(Http.text(refused)).contains("smaller requests").doesNotContain("u1@");
            // Nothing of it was stored: the conversation's numbering starts again at 1.
            var next = post(http, "/api/v1/pii/mask", "{\"text\":\"u5@example.com\",\"conversation\":\"big\"}");
            assertThat(Http.json(next).get("text").asText()).isEqualTo("[EMAIL_1]");
            var withoutConversation = post(http, "/api/v1/pii/mask", "{\"text\":\"" + text + "\"}");
            assertThat(withoutConversation.statusCode()).as("nothing is stored without a conversation").isEqualTo(200);
        }
    }

    @Test
    void aMissingVaultKeyIs503NamingTheRemedyAndOneLineAtStart() throws Exception {
        try (Http http = start(null)) {
            var made = post(http, "/api/v1/pii/mask", "{\"text\":\"a@example.com\",\"conversation\":\"c\"}");
            assertThat(made.statusCode()).isEqualTo(200);
        }
        Files.delete(dir.resolve("home/keys/vault.key"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (Http http = start(null)) {
            var mask = post(http, "/api/v1/pii/mask", "{\"text\":\"a@example.com\",\"conversation\":\"c\"}");
            assertThat(mask.statusCode()).as(Http.text(mask)).isEqualTo(503);
            assertThat(Http.json(mask).at("/error/code").asText()).isEqualTo("vault_unavailable");
            assertThat(Http.json(mask).at("/error/message").asText()).contains("keys/vault.key", "restore");
            var plain = post(http, "/api/v1/pii/mask", "{\"text\":\"a@example.com\"}");
            assertThat(plain.statusCode()).as("masking without a conversation still works").isEqualTo(200);
            var forget = post(http, "/api/v1/pii/forget", "{\"subject\":\"a@example.com\"}");
            assertThat(forget.statusCode()).isEqualTo(503);
        } finally {
            System.setErr(saved);
        }
        String captured = logs.toString(StandardCharsets.UTF_8);
        assertThat(captured.lines().filter(l -> l.contains("vault key")).toList()).as(captured).hasSize(1);
        assertThat(captured).doesNotContain("internal_error", "\tat dev.yuanjian");
    }

    @Test
    void forgettingNeedsTheAdminScopeAndNothingLogsOrStoresAnOriginal() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        Path h2;
        try (Http http = start(null)) {
            h2 = Database.h2File(http.app.home());
            org.slf4j.LoggerFactory.getLogger(PrivacyApiTest.class).warn("capture probe");
            ApiKeys keys = http.app.apiKeys();
            String user = keys.create("user", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
            String admin = keys.create("admin", Set.of(Scope.ADMIN), ApiKey.Limits.NONE).secret();
            String body = "{\"text\":\"wang.wu@example.com wrote\",\"conversation\":\"c\"}";
            assertThat(post(http, "/api/v1/pii/scan", body, "Authorization", "Bearer " + user).statusCode()).isEqualTo(200);
            assertThat(Http.json(post(http, "/api/v1/pii/mask", body, "Authorization", "Bearer " + user))
                    .get("text").asText()).isEqualTo("[EMAIL_1] wrote");
            // A request that fails inside (unknown kind) and one that does not parse: their errors name no value.
            var badType = post(http, "/api/v1/pii/forget", "{\"subject\":\"wang.wu@example.com\",\"type\":\"SHOE\"}",
                    "Authorization", "Bearer " + admin);
            assertThat(badType.statusCode()).isEqualTo(400);
            assertThat(Http.text(badType)).doesNotContain("wang.wu");

            String forget = "{\"subject\":\"WANG.WU@example.com\"}";
            assertThat(post(http, "/api/v1/pii/forget", forget, "Authorization", "Bearer " + user).statusCode())
                    .as("generate is not enough").isEqualTo(403);
            var done = post(http, "/api/v1/pii/forget", forget, "Authorization", "Bearer " + admin);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(Http.json(done).get("entries").asInt()).isEqualTo(1);
            assertThat(Http.json(done).get("subjectKeys").asInt()).isEqualTo(1);
            // The next message of the conversation gets a new number: the old entry is gone.
            assertThat(http.app.vault().open(keys.list().stream().filter(k -> k.name().equals("user")).findFirst()
                    .orElseThrow().id(), "c").originalOf(new dev.yuanjian.privacy.Placeholder(
                    dev.yuanjian.privacy.EntityType.EMAIL_ADDRESS, 1))).isEmpty();
            assertThat(http.app.log().size()).as("nothing privacy-related is written to the transparency log").isZero();
        } finally {
            System.setErr(saved);
        }
        String captured = logs.toString(StandardCharsets.UTF_8);
        assertThat(captured).contains("capture probe").doesNotContainIgnoringCase("wang.wu");
        assertThat(new String(Files.readAllBytes(h2), StandardCharsets.ISO_8859_1)).doesNotContainIgnoringCase("wang.wu");
    }

    /** A JSON string literal. */
    static final class JsonViewsQuote {
        static String of(String s) throws Exception {
            return dev.yuanjian.app.JsonViews.mapper().writeValueAsString(s);
        }
    }
}
