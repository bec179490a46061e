package dev.yuanjian.privacy.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure is real in the bytes of the embedded database file: an original is never written there,
 * and after forgetting, the subject's wrapped key is gone from the file too, so that not even the
 * vault key's holder with a copy of the file can recover the original.
 */
class ErasureOnDiskTest {
    @TempDir
    Path dir;

    @Test
    void theFileNeverHoldsAnOriginalAndLosesTheSubjectKeyWhenForgotten() throws Exception {
        Home home = new Home(dir).ensureExists();
        String secret = "forget.me.please@example.com";
        String other = "keep.me@example.com";
        List<byte[]> wrapped = new ArrayList<>();
        Placeholder placeholder;
        try (Database db = Database.openEmbedded(home)) {
            Vault vault = new Vault(db.dataSource(), true, VaultKey.load(home.resolve("keys/vault.key"), Map.of(),
                    db.dataSource()), Duration.ofHours(24), Clock.systemUTC());
            var map = vault.open("local", "c1");
            placeholder = map.placeholderFor(EntityType.EMAIL_ADDRESS, secret);
            map.flush();
            var otherOwner = vault.open("key-2", "c9");
            otherOwner.placeholderFor(EntityType.EMAIL_ADDRESS, secret.toUpperCase());
            otherOwner.flush();
            map.placeholderFor(EntityType.EMAIL_ADDRESS, other);
            map.flush();
            // Many requests, so the file has several chunks and the subject's rows are not the newest.
            for (int i = 0; i < 300; i++) {
                map.placeholderFor(EntityType.EMAIL_ADDRESS, "filler" + i + "@example.org");
                map.flush();
            }
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement st = c.prepareStatement("SELECT wrapped_key FROM privacy_subjects")) {
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        wrapped.add(rs.getBytes(1));
                    }
                }
            }
            checkpoint(db);
            assertNoOriginal(home, secret, other);
            byte[] subjectKey = wrappedKeyOf(db, vault, secret);
            assertThat(contains(Files.readAllBytes(Database.h2File(home)), subjectKey))
                    .as("the wrapped key is in the file before forgetting (else this test proves nothing)").isTrue();

            assertThat(vault.forget(secret, Optional.empty()).entries()).isEqualTo(2);
            assertThat(map.originalOf(placeholder)).isEmpty();
            assertNoOriginal(home, secret, other);
            wrapped.removeIf(w -> !java.util.Arrays.equals(w, subjectKey));
        }
        // Closed, then compacted as `yuanjian pii forget` does when no server holds the file. While
        // the database is open, H2 keeps the deleted row's bytes in a chunk it no longer references.
        assertThat(Database.compactIfUnused(home)).isTrue();
        byte[] file = Files.readAllBytes(Database.h2File(home));
        assertThat(contains(file, wrapped.getFirst())).as("the forgotten subject's wrapped key after closing").isFalse();
        assertNoOriginal(home, secret, other);
        try (Database db = Database.openEmbedded(home)) {
            assertThat(Database.compactIfUnused(home)).as("in use").isFalse();
            Vault vault = new Vault(db.dataSource(), true, VaultKey.load(home.resolve("keys/vault.key"), Map.of(),
                    db.dataSource()), Duration.ofHours(24), Clock.systemUTC());
            assertThat(vault.open("local", "c1").originalOf(placeholder)).isEmpty();
            assertThat(vault.open("local", "c1").originalOf(new Placeholder(EntityType.EMAIL_ADDRESS, 2))).contains(other);
        }
    }

    private static byte[] wrappedKeyOf(Database db, Vault vault, String value) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT wrapped_key FROM privacy_subjects WHERE subject = ?")) {
            st.setString(1, vault.subject(EntityType.EMAIL_ADDRESS.normalForm(value)));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void checkpoint(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
    }

    static void assertNoOriginal(Home home, String... values) throws Exception {
        try (var files = Files.walk(home.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (String v : values) {
                    for (var cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
                        assertThat(contains(bytes, v.getBytes(cs))).as(f + " holds an original (" + cs + ")").isFalse();
                        assertThat(contains(bytes, v.toUpperCase().getBytes(cs))).as(f + " holds an original").isFalse();
                    }
                }
            }
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
