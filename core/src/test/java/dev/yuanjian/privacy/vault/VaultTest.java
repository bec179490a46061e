package dev.yuanjian.privacy.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.store.Database;
import dev.yuanjian.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The vault on H2 and PostgreSQL (the latter when YUANJIAN_TEST_PG_URL is set). */
class VaultTest {
    @TempDir
    Path dir;

    /** A clock the test moves: time-to-live without waiting. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Vault vault(Database db, Path keyFile, Clock clock) throws Exception {
        return new Vault(db.dataSource(), !db.isPostgres(), VaultKey.load(keyFile, Map.of(), db.dataSource()),
                Duration.ofHours(24), clock);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void placeholdersPersistPerOwnerAndConversationAndRestore(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Path key = dir.resolve("keys/vault.key");
            Vault vault = vault(db, key, Clock.systemUTC());
            PlaceholderMap a = vault.open("key1", "chat-1");
            a.reserve(new Placeholder(EntityType.CN_MOBILE, 2));
            Placeholder p1 = a.placeholderFor(EntityType.CN_MOBILE, "13812345678");
            Placeholder p2 = a.placeholderFor(EntityType.CN_MOBILE, "13912345678");
            assertThat(p1).hasToString("[PHONE_1]");
            assertThat(p2).as("the literal [PHONE_2] the user wrote is skipped").hasToString("[PHONE_3]");
            assertThat(a.placeholderFor(EntityType.CN_MOBILE, "+86 138-1234-5678")).as("one person's number, "
                    + "written differently").isEqualTo(p1);
            assertThat(a.placeholderFor(EntityType.EMAIL_ADDRESS, "li@example.com")).hasToString("[EMAIL_1]");
            a.flush(); // the request's masking is done: its entries are stored

            // Another request (a new map, a new Vault object over the same key) of the same conversation.
            PlaceholderMap again = vault(db, key, Clock.systemUTC()).open("key1", "chat-1");
            assertThat(again.originalOf(p1)).contains("13812345678");
            assertThat(again.originalOf(new Placeholder(EntityType.CN_MOBILE, 2))).isEmpty();
            assertThat(again.placeholderFor(EntityType.CN_MOBILE, "13912345678")).isEqualTo(p2);

            // The same conversation id under another owner, and another conversation: nothing shared.
            assertThat(vault.open("key2", "chat-1").originalOf(p1)).isEmpty();
            assertThat(vault.open("key1", "chat-2").originalOf(p1)).isEmpty();
            assertThat(vault.open("key2", "chat-1").placeholderFor(EntityType.CN_MOBILE, "13912345678"))
                    .hasToString("[PHONE_1]");

            assertThat(dump(db)).doesNotContain("13812345678", "13912345678", "li@example.com", "chat-1", "key1");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void entriesExpireAfterTheirTimeToLiveFromLastUse(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            TestClock clock = new TestClock();
            Vault vault = vault(db, dir.resolve("vault.key"), clock);
            PlaceholderMap map = vault.open("o", "c");
            Placeholder used = map.placeholderFor(EntityType.EMAIL_ADDRESS, "used@example.com");
            Placeholder idle = map.placeholderFor(EntityType.EMAIL_ADDRESS, "idle@example.com");
            map.flush();
            clock.advance(Duration.ofHours(20));
            assertThat(map.originalOf(used)).contains("used@example.com"); // a use renews it
            clock.advance(Duration.ofHours(5));
            assertThat(map.originalOf(idle)).as("25 h unused").isEmpty();
            assertThat(map.originalOf(used)).contains("used@example.com");
            assertThat(vault.purgeExpired()).isEqualTo(1);
            assertThat(count(db, "privacy_entries")).isEqualTo(1);
            // A new value never takes a number still in use, nor one issued before in the conversation.
            assertThat(map.placeholderFor(EntityType.EMAIL_ADDRESS, "new@example.com")).hasToString("[EMAIL_3]");
            map.flush();
            clock.advance(Duration.ofDays(2));
            vault.purgeExpired();
            assertThat(count(db, "privacy_entries")).isZero();
            assertThat(count(db, "privacy_subjects")).as("keys of subjects without entries go too").isZero();
            assertThat(count(db, "privacy_counters")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void forgettingASubjectErasesItEverywhere(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Vault vault = vault(db, dir.resolve("vault.key"), Clock.systemUTC());
            PlaceholderMap a = vault.open("k1", "x");
            PlaceholderMap b = vault.open("k2", "y");
            Placeholder pa = a.placeholderFor(EntityType.CN_MOBILE, "13812345678");
            a.flush();
            Placeholder pb = b.placeholderFor(EntityType.CN_MOBILE, "+8613812345678");
            Placeholder other = b.placeholderFor(EntityType.CN_MOBILE, "13900000000");
            b.flush();
            assertThat(vault.forget("138 1234 5678", Optional.empty())).isEqualTo(new Vault.Forgotten(2, 1));
            assertThat(a.originalOf(pa)).isEmpty();
            assertThat(b.originalOf(pb)).isEmpty();
            assertThat(b.originalOf(other)).contains("13900000000");
            assertThat(vault.forget("138 1234 5678", Optional.of(EntityType.CN_MOBILE))).isEqualTo(new Vault.Forgotten(0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void concurrentRequestsOfOneConversationAgree(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Vault vault = vault(db, dir.resolve("vault.key"), Clock.systemUTC());
            int threads = 4;
            int values = 10;
            java.util.Map<String, java.util.Set<Placeholder>> seen = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    PlaceholderMap map = vault.open("o", "shared"); // each request opens its own map
                    for (int i = 0; i < values; i++) {
                        String v = "p" + i + "@example.com";
                        seen.computeIfAbsent(v, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                                .add(map.placeholderFor(EntityType.EMAIL_ADDRESS, v));
                    }
                    map.flush();
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(seen).hasSize(values);
            assertThat(seen.values()).allSatisfy(set -> assertThat(set).as("one placeholder per value").hasSize(1));
            assertThat(seen.values().stream().map(set -> set.iterator().next().number()).sorted().toList())
                    .as("numbers 1..n, none twice").isEqualTo(java.util.stream.IntStream.rangeClosed(1, values).boxed().toList());
            assertThat(count(db, "privacy_subjects")).isEqualTo(values);
        }
    }

    @Test
    void aLostOrDifferentKeyIsAnErrorNeverANewKey() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.Kind.H2, dir)) {
            Path key = dir.resolve("keys/vault.key");
            PlaceholderMap first = vault(db, key, Clock.systemUTC()).open("o", "c");
            first.placeholderFor(EntityType.EMAIL_ADDRESS, "a@b.cn");
            first.flush();
            if (!System.getProperty("os.name").startsWith("Windows")) {
                assertThat(Files.getPosixFilePermissions(key)).hasToString("[OWNER_READ, OWNER_WRITE]");
            }
            byte[] original = Files.readAllBytes(key);
            Files.delete(key);
            assertThatThrownBy(() -> vault(db, key, Clock.systemUTC())).hasMessageContaining("is missing")
                    .hasMessageContaining("restore the file");
            assertThat(key).doesNotExist();
            String other = Base64.getEncoder().encodeToString(new byte[32]);
            assertThatThrownBy(() -> VaultKey.load(key, Map.of("YUANJIAN_VAULT_KEY", other), db.dataSource()))
                    .hasMessageContaining("not the key");
            assertThatThrownBy(() -> VaultKey.load(key, Map.of("YUANJIAN_VAULT_KEY", "c2hvcnQ="), db.dataSource()))
                    .hasMessageContaining("base64 of 32");
            String right = Base64.getEncoder().encodeToString(original);
            byte[] fromEnv = VaultKey.load(key, Map.of("YUANJIAN_VAULT_KEY", right), db.dataSource());
            assertThat(new Vault(db.dataSource(), true, fromEnv, Duration.ofHours(1), Clock.systemUTC())
                    .open("o", "c").originalOf(new Placeholder(EntityType.EMAIL_ADDRESS, 1))).contains("a@b.cn");
        }
    }

    @Test
    void aRowMovedToAnotherPlaceholderDoesNotDecrypt() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.Kind.H2, dir)) {
            Vault vault = vault(db, dir.resolve("vault.key"), Clock.systemUTC());
            PlaceholderMap map = vault.open("o", "c");
            map.placeholderFor(EntityType.EMAIL_ADDRESS, "a@b.cn");
            map.flush();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE privacy_entries SET num = 7");
            }
            assertThatThrownBy(() -> map.originalOf(new Placeholder(EntityType.EMAIL_ADDRESS, 7)))
                    .hasMessageContaining("does not decrypt");
        }
    }

    static long count(Database db, String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of the vault's tables as text (binary columns as their bytes read as Latin-1). */
    static String dump(Database db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : new String[] {"privacy_entries", "privacy_subjects", "privacy_counters", "privacy_reserved"}) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            out.append(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : v)
                                    .append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
