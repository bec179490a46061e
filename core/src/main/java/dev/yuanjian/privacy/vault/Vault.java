package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.Conversations;
import dev.yuanjian.privacy.Crypto;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The encrypted vault over the product's database (see the package comment for what each column
 * holds). Thread-safe and safe for several processes sharing the database: uniqueness is the
 * database's (primary keys, the lookup constraint) and issuing a number locks its counter row.
 *
 * <p>Time-to-live: an entry unused (neither issued, looked up nor restored) for {@code ttl} no
 * longer restores and is deleted by {@link #purgeExpired}, which {@link #open} runs at most once a
 * minute. Numbers are never reused while any entry of the conversation lives.
 */
public final class Vault implements Conversations {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final long PURGE_EVERY_MS = 60_000;

    private final DataSource db;
    private final boolean h2;
    private final SecretKeySpec wrapKey;
    private final byte[] lookupKey;
    private final byte[] subjectKey;
    private final byte[] conversationKey;
    private final Duration ttl;
    private final Limits limits;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong lastPurge = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param key 32 bytes ({@link VaultKey#load}); the wrapping, lookup, subject and conversation keys
     *            are derived from it, one per use
     * @param ttl how long an unused entry lives, at least one minute
     */
    public Vault(DataSource db, boolean h2, byte[] key, Duration ttl, Clock clock) {
        this(db, h2, key, ttl, Limits.DEFAULT, clock);
    }

    /**
     * How many new values one request may store in a conversation, and how many one conversation
     * may hold; past either, the request is refused ({@link dev.yuanjian.privacy.MaskingRefused}) with
     * nothing stored. They bound what one caller can make the database keep.
     */
    public record Limits(int newPerRequest, int perConversation) {
        /** 2,000 new values per request, 20,000 per conversation. */
        public static final Limits DEFAULT = new Limits(2_000, 20_000);

        public Limits {
            if (newPerRequest < 1 || perConversation < 1) {
                throw new IllegalArgumentException("the vault's limits must be positive, got " + newPerRequest
                        + " per request and " + perConversation + " per conversation");
            }
        }
    }

    /** As {@link #Vault(DataSource, boolean, byte[], Duration, Clock)} with other {@code limits}. */
    public Vault(DataSource db, boolean h2, byte[] key, Duration ttl, Limits limits, Clock clock) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the vault key has 32 bytes, got " + key.length);
        }
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("the vault's time-to-live must be at least one minute, got " + ttl);
        }
        this.db = db;
        this.h2 = h2;
        this.wrapKey = new SecretKeySpec(Crypto.derive(key, "yuanjian vault wrap"), "AES");
        this.lookupKey = Crypto.derive(key, "yuanjian vault lookup");
        this.subjectKey = Crypto.derive(key, "yuanjian vault subject");
        this.conversationKey = Crypto.derive(key, "yuanjian vault conversation");
        this.ttl = ttl;
        this.limits = limits;
        this.clock = clock;
    }

    /** What {@link #forget} erased. */
    public record Forgotten(int entries, int subjects) {
    }

    @Override
    public PlaceholderMap open(String owner, String conversationId) {
        long now = clock.millis();
        long last = lastPurge.get();
        if (now - last >= PURGE_EVERY_MS && lastPurge.compareAndSet(last, now)) {
            purgeExpired();
        }
        return new VaultMap(this, hex(Crypto.hmac(conversationKey, bytes(owner + "\0" + conversationId))));
    }

    /**
     * Erases every entry of the person's {@code value} in every conversation of every owner, and the
     * value's subject keys: what was sealed under them can no longer be decrypted by anyone, the vault
     * key's holder included. On H2 the deletion is then checkpointed to the file.
     *
     * @param type the kind, when known: only that kind's normal form is forgotten; otherwise every
     *             kind's (a phone's {@code +86} form and the plain digits are one subject)
     */
    public Forgotten forget(String value, Optional<EntityType> type) {
        int entries = 0;
        int subjects = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delEntries = c.prepareStatement("DELETE FROM privacy_entries WHERE subject = ?");
                 PreparedStatement delSubject = c.prepareStatement("DELETE FROM privacy_subjects WHERE subject = ?")) {
                for (String form : Subjects.forms(value, type)) {
                    String subject = subject(form);
                    delEntries.setString(1, subject);
                    entries += delEntries.executeUpdate();
                    delSubject.setString(1, subject);
                    subjects += delSubject.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            if (h2) {
                try (Statement st = c.createStatement()) {
                    st.execute("CHECKPOINT SYNC");
                }
            }
        } catch (SQLException e) {
            throw failure("forget", e);
        }
        return new Forgotten(entries, subjects);
    }

    /** Deletes entries unused for the time-to-live, and counters, reservations and subject keys left without any. */
    public int purgeExpired() {
        long cutoff = clock.millis() - ttl.toMillis();
        try (Connection c = db.getConnection()) {
            int n = update(c, "DELETE FROM privacy_entries WHERE last_used_ms < ?", cutoff);
            update(c, "DELETE FROM privacy_reserved WHERE last_used_ms < ? AND NOT EXISTS (SELECT 1 FROM privacy_entries e "
                    + "WHERE e.conversation = privacy_reserved.conversation)", cutoff);
            update(c, "DELETE FROM privacy_counters WHERE last_used_ms < ? AND NOT EXISTS (SELECT 1 FROM privacy_entries e "
                    + "WHERE e.conversation = privacy_counters.conversation)", cutoff);
            update(c, "DELETE FROM privacy_subjects WHERE last_used_ms < ? AND NOT EXISTS (SELECT 1 FROM privacy_entries e "
                    + "WHERE e.subject = privacy_subjects.subject)", cutoff);
            return n;
        } catch (SQLException e) {
            throw failure("purge", e);
        }
    }

    private static int update(Connection c, String sql, long cutoff) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, cutoff);
            return st.executeUpdate();
        }
    }

    // ---- used by VaultMap

    DataSource db() {
        return db;
    }

    boolean h2() {
        return h2;
    }

    Limits limits() {
        return limits;
    }

    long now() {
        return clock.millis();
    }

    boolean expired(long lastUsedMs) {
        return lastUsedMs < clock.millis() - ttl.toMillis();
    }

    /** Whether a row used at {@code lastUsedMs} is worth rewriting to record a use now (at most every ttl/100). */
    boolean stale(long lastUsedMs) {
        return clock.millis() - lastUsedMs > Math.min(ttl.toMillis() / 100, PURGE_EVERY_MS);
    }

    String lookup(EntityType type, String normalised) {
        return hex(Crypto.hmac(lookupKey, bytes(type.name() + "\0" + normalised)));
    }

    String subject(String normalised) {
        return hex(Crypto.hmac(subjectKey, bytes(normalised)));
    }

    /**
     * The data key of {@code subject}, made and stored (wrapped) when it has none. In a transaction,
     * a conflict (another writer stored it first) is thrown for the caller to roll back and retry.
     */
    byte[] subjectKeyFor(Connection c, String subject) throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<byte[]> existing = subjectKeyOf(c, subject, true);
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO privacy_subjects (subject, wrapped_key, last_used_ms) VALUES (?, ?, ?)")) {
                st.setString(1, subject);
                st.setBytes(2, seal(wrapKey, bytes("subject\0" + subject), fresh));
                st.setLong(3, now());
                st.executeUpdate();
                return fresh;
            } catch (SQLException e) {
                // Inside a transaction the failed insert has spoilt it (PostgreSQL): the caller retries.
                if (!conflict(e) || !c.getAutoCommit()) {
                    throw e;
                }
            }
        }
        throw new SQLException("the subject key could not be stored after three attempts");
    }

    /** The data key of {@code subject}, if it still has one (not forgotten, not purged). */
    Optional<byte[]> subjectKeyOf(Connection c, String subject, boolean touch) throws SQLException {
        long lastUsed;
        byte[] wrapped;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT wrapped_key, last_used_ms FROM privacy_subjects WHERE subject = ?")) {
            st.setString(1, subject);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                wrapped = rs.getBytes(1);
                lastUsed = rs.getLong(2);
            }
        }
        if (touch && stale(lastUsed)) {
            try (PreparedStatement st = c.prepareStatement("UPDATE privacy_subjects SET last_used_ms = ? WHERE subject = ?")) {
                st.setLong(1, now());
                st.setString(2, subject);
                st.executeUpdate();
            }
        }
        return Optional.of(open(wrapKey, bytes("subject\0" + subject), wrapped));
    }

    byte[] seal(byte[] key, byte[] aad, byte[] plain) {
        return seal(new SecretKeySpec(key, "AES"), aad, plain);
    }

    private byte[] seal(SecretKeySpec key, byte[] aad, byte[] plain) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    static byte[] open(byte[] key, byte[] aad, byte[] sealed) {
        return open(new SecretKeySpec(key, "AES"), aad, sealed);
    }

    private static byte[] open(SecretKeySpec key, byte[] aad, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            // Not the value: a row altered in the database, or moved to another conversation or number.
            throw new IllegalStateException("a vault entry does not decrypt (altered or moved in the database)");
        }
    }

    /** Whether {@code e} is a unique or primary key violation (SQLSTATE class 23): another writer won a race. */
    static boolean conflict(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("the privacy vault's database failed (" + what + "): SQLSTATE "
                + e.getSQLState() + ", " + e.getMessage().lines().findFirst().orElse(""), e);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static Placeholder placeholder(String type, int number) {
        return new Placeholder(EntityType.valueOf(type), number);
    }
}
