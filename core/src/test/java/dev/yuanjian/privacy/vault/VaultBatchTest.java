package dev.yuanjian.privacy.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MaskingRefused;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request's new values are stored in one transaction, bounded per request and per conversation:
 * the attack was one gateway request with 5,000 phone numbers growing the H2 file by 232-321 MB
 * (a commit, hence a file chunk, per value).
 */
class VaultBatchTest {
    @TempDir
    Path dir;

    private static Vault vault(Database db, Path keyFile, Vault.Limits limits) throws Exception {
        return new Vault(db.dataSource(), !db.isPostgres(), VaultKey.load(keyFile, Map.of(), db.dataSource()),
                Duration.ofHours(24), limits, Clock.systemUTC());
    }

    private static String phone(int i) {
        return "139" + String.format("%08d", i);
    }

    @Test
    void oneRequestOfManyValuesGrowsTheFileByFarLessThanACommitPerValue() throws Exception {
        // -Dyuanjian.vaultGrowthValues=5000 for the figure in docs/benchmarks.md (above the request limit).
        int values = Integer.getInteger("yuanjian.vaultGrowthValues", Vault.Limits.DEFAULT.newPerRequest());
        Vault.Limits limits = new Vault.Limits(values, Math.max(values, Vault.Limits.DEFAULT.perConversation()));
        long perValue;
        long perRequest;
        Home home = new Home(dir.resolve("a")).ensureExists();
        try (Database db = Database.openEmbedded(home)) {
            Vault vault = vault(db, home.resolve("keys/vault.key"), limits);
            long before = Files.size(Database.h2File(home));
            PlaceholderMap map = vault.open("o", "c");
            for (int i = 0; i < values; i++) {
                map.placeholderFor(EntityType.CN_MOBILE, phone(i));
            }
            map.flush();
            perRequest = Files.size(Database.h2File(home)) - before;
            assertThat(vault.open("o", "c").originalOf(new Placeholder(EntityType.CN_MOBILE, values)))
                    .contains(phone(values - 1));
        }
        // The same values flushed one by one, as every value was committed before: the baseline.
        Home other = new Home(dir.resolve("b")).ensureExists();
        try (Database db = Database.openEmbedded(other)) {
            Vault vault = vault(db, other.resolve("keys/vault.key"), limits);
            long before = Files.size(Database.h2File(other));
            PlaceholderMap map = vault.open("o", "c");
            for (int i = 0; i < values; i++) {
                map.placeholderFor(EntityType.CN_MOBILE, phone(i));
                map.flush();
            }
            perValue = Files.size(Database.h2File(other)) - before;
        }
        System.out.printf("vault file growth for %d new values: one transaction %.1f MB, a commit per value %.1f MB%n",
                values, perRequest / 1e6, perValue / 1e6);
        assertThat(perRequest).as("one transaction for the request").isLessThan(perValue / 10);
        assertThat(perRequest).as("bytes per value (a commit per value: about 45 KB)").isLessThan(values * 4_000L);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRequestOrConversationPastItsLimitIsRefusedWholeWithNothingStored(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            Vault vault = vault(db, dir.resolve("vault.key"), new Vault.Limits(3, 5));
            PlaceholderMap map = vault.open("o", "c");
            map.reserve(new Placeholder(EntityType.CN_MOBILE, 9));
            for (int i = 0; i < 3; i++) {
                map.placeholderFor(EntityType.CN_MOBILE, phone(i));
            }
            assertThat(map.placeholderFor(EntityType.CN_MOBILE, phone(0))).as("a value seen again is not new")
                    .hasToString("[PHONE_1]");
            assertThatThrownBy(() -> map.placeholderFor(EntityType.CN_MOBILE, phone(3)))
                    .isInstanceOf(MaskingRefused.class).hasMessageContaining("more than 3 new personal values")
                    .satisfies(e -> assertThat(((MaskingRefused) e).reason()).isEqualTo(MaskingRefused.Reason.TOO_MANY_VALUES));
            map.flush(); // after a refusal: nothing left to store
            assertThat(VaultTest.count(db, "privacy_entries")).isZero();
            assertThat(VaultTest.count(db, "privacy_subjects")).isZero();
            assertThat(VaultTest.count(db, "privacy_reserved")).isZero();

            // Two requests fill the conversation to 5; a sixth value is refused, known ones still map.
            PlaceholderMap first = vault.open("o", "c");
            for (int i = 0; i < 3; i++) {
                first.placeholderFor(EntityType.CN_MOBILE, phone(i));
            }
            first.flush();
            PlaceholderMap second = vault.open("o", "c");
            second.placeholderFor(EntityType.EMAIL_ADDRESS, "a@example.com");
            second.placeholderFor(EntityType.EMAIL_ADDRESS, "b@example.com");
            second.flush();
            PlaceholderMap third = vault.open("o", "c");
            assertThat(third.placeholderFor(EntityType.CN_MOBILE, phone(2))).hasToString("[PHONE_3]");
            assertThatThrownBy(() -> third.placeholderFor(EntityType.EMAIL_ADDRESS, "c@example.com"))
                    .isInstanceOf(MaskingRefused.class).hasMessageContaining("start a new conversation");
            assertThat(VaultTest.count(db, "privacy_entries")).isEqualTo(5);
            assertThat(vault.open("o", "other").placeholderFor(EntityType.EMAIL_ADDRESS, "c@example.com"))
                    .as("another conversation has room").hasToString("[EMAIL_1]");
        }
    }

    @Test
    void whatARequestIssuedIsInvisibleUntilFlushedAndGoneWhenDiscarded() throws Exception {
        try (Database db = TestDatabases.open(TestDatabases.Kind.H2, dir)) {
            Vault vault = vault(db, dir.resolve("vault.key"), Vault.Limits.DEFAULT);
            PlaceholderMap map = vault.open("o", "c");
            Placeholder p = map.placeholderFor(EntityType.EMAIL_ADDRESS, "a@example.com");
            assertThat(VaultTest.count(db, "privacy_entries")).isZero();
            map.discard();
            assertThat(vault.open("o", "c").originalOf(p)).isEmpty();
            assertThat(map.placeholderFor(EntityType.EMAIL_ADDRESS, "b@example.com")).as("the number was not used")
                    .isEqualTo(p);
            map.flush();
            assertThat(vault.open("o", "c").originalOf(p)).contains("b@example.com");
        }
    }
}
