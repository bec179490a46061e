package dev.yuanjian.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The key store. Keys look like {@code yj_<8-char id>_<43-char secret>}; only the SHA-256 of the
 * whole key is stored. Lookups are cached for {@link #CACHE}: a revocation made by another process
 * (the CLI while the server runs) takes effect within that time.
 */
public final class ApiKeys {
    static final Duration CACHE = Duration.ofSeconds(5);
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final DataSource data;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> byHash = new ConcurrentHashMap<>();
    private volatile long anyCheckedAt = Long.MIN_VALUE;
    private volatile boolean any;

    private record Cached(Optional<ApiKey> key, long at) {
    }

    /** A new key: {@code secret} is shown to the user once and never stored. */
    public record Created(String secret, ApiKey key) {
    }

    public ApiKeys(DataSource data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    public Created create(String name, Set<Scope> scopes, ApiKey.Limits limits) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("a key needs a name of 1 to 200 characters");
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = "yj_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = clock.instant();
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO api_keys (id, name, secret_sha256, scopes, "
                     + "requests_per_minute, tokens_per_minute, token_budget, tokens_used, created_ms) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
            s.setString(1, id.toString());
            s.setString(2, name.strip());
            s.setString(3, sha256(secret));
            s.setString(4, Scope.format(scopes));
            s.setInt(5, limits.requestsPerMinute());
            s.setInt(6, limits.tokensPerMinute());
            s.setLong(7, limits.tokenBudget());
            s.setLong(8, now.toEpochMilli());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the new key: " + e.getMessage(), e);
        }
        anyCheckedAt = Long.MIN_VALUE;
        return new Created(secret, new ApiKey(id.toString(), name.strip(), scopes, limits, 0, now, Optional.empty()));
    }

    public List<ApiKey> list() {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM api_keys ORDER BY created_ms, id");
             ResultSet r = s.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (r.next()) {
                keys.add(read(r));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the keys: " + e.getMessage(), e);
        }
    }

    /** Revokes a key by id; false when there is no such active key. */
    public boolean revoke(String id) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
            s.setLong(1, clock.millis());
            s.setString(2, id);
            boolean done = s.executeUpdate() == 1;
            byHash.clear();
            anyCheckedAt = Long.MIN_VALUE;
            return done;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke the key: " + e.getMessage(), e);
        }
    }

    /** The active key with this secret, if any. */
    public Optional<ApiKey> find(String secret) {
        if (secret == null || !secret.startsWith("yj_") || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = sha256(secret);
        long now = System.nanoTime();
        Cached cached = byHash.get(hash);
        if (cached != null && now - cached.at() < CACHE.toNanos()) {
            return cached.key();
        }
        Optional<ApiKey> key;
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM api_keys WHERE secret_sha256 = ? AND revoked_ms IS NULL")) {
            s.setString(1, hash);
            try (ResultSet r = s.executeQuery()) {
                key = r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up the key: " + e.getMessage(), e);
        }
        if (byHash.size() > 10_000) {
            byHash.clear(); // bounded: guessed keys must not grow the cache without end
        }
        byHash.put(hash, new Cached(key, now));
        return key;
    }

    /**
     * True once any key was ever created, revoked ones included: from then on every gateway request
     * needs an active key. Revoking the last (perhaps leaked) key must lock the gateway, not open it
     * again to every caller a reverse proxy on this machine forwards.
     */
    public boolean anyCreated() {
        long now = System.nanoTime();
        if (anyCheckedAt != Long.MIN_VALUE && now - anyCheckedAt < CACHE.toNanos()) {
            return any;
        }
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_keys");
             ResultSet r = s.executeQuery()) {
            r.next();
            any = r.getLong(1) > 0;
            anyCheckedAt = now;
            return any;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the keys: " + e.getMessage(), e);
        }
    }

    /** The number of keys not revoked. */
    public long activeCount() {
        return list().stream().filter(k -> k.revoked().isEmpty()).count();
    }

    /** Adds to a key's used tokens (its budget); returns the new total. */
    public long charge(String id, long tokens) {
        try (Connection c = data.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET tokens_used = tokens_used + ? WHERE id = ?")) {
                s.setLong(1, tokens);
                s.setString(2, id);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT tokens_used FROM api_keys WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record token use: " + e.getMessage(), e);
        }
    }

    private static ApiKey read(ResultSet r) throws SQLException {
        long revoked = r.getLong("revoked_ms");
        boolean isRevoked = !r.wasNull();
        return new ApiKey(r.getString("id"), r.getString("name"), Scope.parse(r.getString("scopes")),
                new ApiKey.Limits(r.getInt("requests_per_minute"), r.getInt("tokens_per_minute"), r.getLong("token_budget")),
                r.getLong("tokens_used"), Instant.ofEpochMilli(r.getLong("created_ms")),
                isRevoked ? Optional.of(Instant.ofEpochMilli(revoked)) : Optional.empty());
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
