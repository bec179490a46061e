package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.Crypto;
import dev.yuanjian.store.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The vault key: 32 bytes from {@code YUANJIAN_VAULT_KEY} (base64) when set, else the owner-only
 * file {@code keys/vault.key}, created at first use. The database keeps a check value of the key
 * (an HMAC, not the key), so that a lost or different key is an error rather than a new key that
 * silently makes every stored original unreadable.
 */
public final class VaultKey {
    /** The environment variable that carries the key (base64 of 32 bytes), winning over the file. */
    public static final String VARIABLE = "YUANJIAN_VAULT_KEY";

    private VaultKey() {
    }

    /**
     * The key, checked against the database's check value (written on first use).
     *
     * @throws IOException when the variable is not the base64 of 32 bytes, the file is missing while
     *     the database has a vault, or the key is not the one the vault was made with
     */
    public static byte[] load(Path file, Map<String, String> env, DataSource db) throws IOException {
        String fromEnv = env.get(VARIABLE);
        byte[] key;
        String source;
        if (fromEnv != null && !fromEnv.isBlank()) {
            key = decode(fromEnv.strip());
            source = VARIABLE;
        } else {
            Optional<String> missing = missing(file, env, db);
            if (missing.isPresent()) {
                throw new IOException(missing.get());
            }
            key = Secrets.loadOrCreate(file);
            source = file.toString();
        }
        String check = HexFormat.of().formatHex(Crypto.derive(key, "yuanjian vault key check"));
        String stored = storedCheck(db);
        if (stored == null) {
            try (Connection c = db.getConnection();
                 PreparedStatement st = c.prepareStatement("INSERT INTO privacy_vault_key (id, key_check) VALUES (1, ?)")) {
                st.setString(1, check);
                st.executeUpdate();
            } catch (SQLException e) {
                if (!Vault.conflict(e)) {
                    throw new IOException("cannot record the vault key's check value: " + e.getMessage(), e);
                }
            }
            stored = storedCheck(db);
        }
        if (!check.equals(stored)) {
            throw new IOException("the vault key from " + source + " is not the key this database's vault was made "
                    + "with: use the original key (keys/vault.key or " + VARIABLE + ")");
        }
        return key;
    }

    /**
     * Why the key cannot be had, when {@code file} is missing and {@code VARIABLE} unset while the
     * database holds a vault made with a key; empty otherwise. Creates nothing.
     *
     * @throws IOException when the database cannot be read
     */
    public static Optional<String> missing(Path file, Map<String, String> env, DataSource db) throws IOException {
        String fromEnv = env.get(VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank() || Files.exists(file) || storedCheck(db) == null) {
            return Optional.empty();
        }
        return Optional.of("the vault key " + file + " is missing, but the database holds a vault made with it: "
                + "restore the file from a backup (or set " + VARIABLE + "); a new key would leave every stored "
                + "original unreadable, so none is made, and requests naming a conversation are answered 503 "
                + "vault_unavailable until then");
    }

    private static byte[] decode(String text) throws IOException {
        byte[] key;
        try {
            key = text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != 32) {
            throw new IOException(VARIABLE + " must be the base64 of 32 random bytes (e.g. openssl rand -base64 32)");
        }
        return key;
    }

    private static String storedCheck(DataSource db) throws IOException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT key_check FROM privacy_vault_key WHERE id = 1");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IOException("cannot read the vault's key check value: " + e.getMessage(), e);
        }
    }
}
