package dev.yuanjian.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.store.Database;
import dev.yuanjian.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The key store on H2 and PostgreSQL (the latter when YUANJIAN_TEST_PG_URL is set, as in CI). */
class ApiKeysStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void keysAreFoundByTheirSecretOnlyRevocableAndCharged(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, dir)) {
            ApiKeys keys = new ApiKeys(db.dataSource(), Clock.systemUTC());
            assertThat(keys.anyCreated()).isFalse();

            ApiKeys.Created created = keys.create("web", EnumSet.of(Scope.GENERATE, Scope.VERIFY), new ApiKey.Limits(60, 1000, 5000));

            assertThat(created.secret()).matches("yj_[a-z2-9]{8}_[A-Za-z0-9_-]{43}");
            assertThat(keys.anyCreated()).isTrue();
            ApiKey found = keys.find(created.secret()).orElseThrow();
            assertThat(found.scopes()).containsExactlyInAnyOrder(Scope.GENERATE, Scope.VERIFY);
            assertThat(found.limits()).isEqualTo(new ApiKey.Limits(60, 1000, 5000));
            assertThat(found.allows(Scope.ADMIN)).isFalse();
            assertThat(keys.find(created.secret() + "x")).isEmpty();
            assertThat(keys.find("sk-not-ours")).isEmpty();
            assertThat(keys.charge(found.id(), 120)).isEqualTo(120);
            assertThat(keys.charge(found.id(), 30)).isEqualTo(150);

            assertThat(keys.revoke(found.id())).isTrue();
            assertThat(keys.find(created.secret())).isEmpty();
            assertThat(keys.activeCount()).isZero();
            // Revoking the last key keeps keys required: the gateway does not fall back to open.
            assertThat(new ApiKeys(db.dataSource(), Clock.systemUTC()).anyCreated()).isTrue();
            assertThat(keys.list()).singleElement().satisfies(k -> {
                assertThat(k.revoked()).isPresent();
                assertThat(k.tokensUsed()).isEqualTo(150);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void scopesAndNamesAreChecked(TestDatabases.Kind kind) throws Exception {
        assertThat(Scope.parse("generate, admin")).containsExactlyInAnyOrder(Scope.GENERATE, Scope.ADMIN);
        assertThatThrownBy(() -> Scope.parse("root")).hasMessageContaining("generate, verify, admin");
        assertThatThrownBy(() -> Scope.parse(" ")).hasMessageContaining("at least one scope");
        try (Database db = TestDatabases.open(kind, dir)) {
            ApiKeys keys = new ApiKeys(db.dataSource(), Clock.systemUTC());
            assertThatThrownBy(() -> keys.create(" ", Set.of(Scope.GENERATE), ApiKey.Limits.NONE)).hasMessageContaining("name");
        }
    }
}
