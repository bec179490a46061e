package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MaskingRefused;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Optional;

/**
 * One conversation's placeholders in the {@link Vault}, for one request. What a request issues and
 * reserves is written in one transaction, opened at its first call and committed by {@link #flush}
 * (rolled back by {@link #discard}): one commit per request, not one per value, since each commit
 * of the embedded database appends a chunk to its file. Issuing locks the conversation's counter
 * until then (one row per conversation, so that two requests never wait on each other in a cycle):
 * two requests of one conversation still never give one number to two values; the second waits.
 * A request may add at most {@link Vault.Limits#newPerRequest} values and a conversation hold
 * {@link Vault.Limits#perConversation}: past either the whole request is refused and nothing stored.
 */
final class VaultMap implements PlaceholderMap {
    private final Vault vault;
    private final String conversation;
    /** The request's transaction, from its first call to {@link #flush} or {@link #discard}; null between. */
    private Connection batch;
    private int issuedInBatch;
    /** Entries the conversation held when the batch began; -1 until the batch issues its first value. */
    private long heldBefore = -1;
    private boolean locked;

    /**
     * The type of the counter row that stands for the whole conversation: locked by the first new
     * value of a request, for the rest of it. Never an {@link EntityType} name, so never a placeholder.
     */
    private static final int LOCK_WAIT_MS = 30_000;
    private static final String CONVERSATION_LOCK = "~conversation";

    VaultMap(Vault vault, String conversation) {
        this.vault = vault;
        this.conversation = conversation;
    }

    @Override
    public Placeholder placeholderFor(EntityType type, String original) {
        String normalised = type.normalForm(original);
        String lookup = vault.lookup(type, normalised);
        try {
            Connection c = batch();
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<Placeholder> existing = find(c, lookup);
                if (existing.isPresent()) {
                    return existing.get();
                }
                Optional<Placeholder> issued = issue(c, type, original, normalised, lookup);
                if (issued.isPresent()) {
                    return issued.get();
                }
            }
            discard();
            throw new IllegalStateException("the privacy vault could not issue a placeholder after five attempts "
                    + "(heavy contention on one conversation)");
        } catch (SQLException e) {
            discard();
            throw Vault.failure("issue a placeholder", e);
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
    }

    private Connection batch() throws SQLException {
        if (batch == null) {
            Connection c = vault.db().getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            if (vault.h2()) {
                // Another request of this conversation may hold its lock for the whole of its masking.
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCK_TIMEOUT " + LOCK_WAIT_MS);
                }
            }
            batch = c;
            issuedInBatch = 0;
            heldBefore = -1;
            locked = false;
        }
        return batch;
    }

    @Override
    public void flush() {
        if (batch == null) {
            return;
        }
        try {
            batch.commit();
        } catch (SQLException e) {
            discard();
            throw Vault.failure("store a request's placeholders", e);
        }
        close();
    }

    @Override
    public void discard() {
        if (batch == null) {
            return;
        }
        try {
            batch.rollback();
        } catch (SQLException e) {
            // The connection is closed below: its transaction ends with it.
        }
        close();
    }

    private void close() {
        try {
            batch.setAutoCommit(true);
            batch.close();
        } catch (SQLException e) {
            // Nothing is left to keep: the transaction has ended.
        } finally {
            batch = null;
        }
    }

    /** The live entry with this lookup, touched; an expired one is deleted and not returned. */
    private Optional<Placeholder> find(Connection c, String lookup) throws SQLException {
        String type;
        int number;
        long lastUsed;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT type, num, last_used_ms FROM privacy_entries WHERE conversation = ? AND lookup = ?")) {
            st.setString(1, conversation);
            st.setString(2, lookup);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                type = rs.getString(1);
                number = rs.getInt(2);
                lastUsed = rs.getLong(3);
            }
        }
        if (vault.expired(lastUsed)) {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM privacy_entries WHERE conversation = ? AND lookup = ? AND last_used_ms = ?")) {
                st.setString(1, conversation);
                st.setString(2, lookup);
                st.setLong(3, lastUsed);
                st.executeUpdate();
            }
            return Optional.empty();
        }
        touch(c, type, number, lastUsed);
        return Optional.of(Vault.placeholder(type, number));
    }

    /**
     * Issues the next number of {@code type} for a new original in the request's transaction, which
     * then holds the conversation's counter row locked; empty when another writer stored the same
     * original or created the counter first (the caller looks again).
     *
     * @throws MaskingRefused when the request or the conversation is full
     */
    private Optional<Placeholder> issue(Connection c, EntityType type, String original, String normalised, String lookup)
            throws SQLException {
        String subject = vault.subject(normalised);
        lockConversation(c);
        Savepoint start = c.setSavepoint();
        try {
            Integer last = lockCounter(c, type);
            if (last == null) {
                createCounter(c, type);
                return Optional.empty();
            }
            if (find(c, lookup).isPresent()) {
                return Optional.empty();
            }
            checkLimits(c);
            byte[] key = vault.subjectKeyFor(c, subject);
            int number = last;
            do {
                number = Math.addExact(number, 1);
            } while (reserved(c, type, number));
            try (PreparedStatement st = c.prepareStatement("INSERT INTO privacy_entries "
                    + "(conversation, type, num, lookup, subject, sealed, last_used_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, conversation);
                st.setString(2, type.name());
                st.setInt(3, number);
                st.setString(4, lookup);
                st.setString(5, subject);
                st.setBytes(6, vault.seal(key, aad(type.name(), number), original.getBytes(StandardCharsets.UTF_8)));
                st.setLong(7, vault.now());
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("UPDATE privacy_counters SET last_num = ?, last_used_ms = ? "
                    + "WHERE conversation = ? AND type = ?")) {
                st.setInt(1, number);
                st.setLong(2, vault.now());
                st.setString(3, conversation);
                st.setString(4, type.name());
                st.executeUpdate();
            }
            issuedInBatch++;
            return Optional.of(new Placeholder(type, number));
        } catch (SQLException e) {
            if (Vault.conflict(e)) {
                c.rollback(start); // another writer won: this request's earlier values stay in its transaction
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Refuses a value past the request's or the conversation's limit; the caller discards the request's batch. */
    private void checkLimits(Connection c) throws SQLException {
        Vault.Limits limits = vault.limits();
        if (issuedInBatch >= limits.newPerRequest()) {
            throw new MaskingRefused(MaskingRefused.Reason.TOO_MANY_VALUES, "this request has more than "
                    + limits.newPerRequest() + " new personal values for one conversation; nothing of it was stored: "
                    + "send the text in smaller requests");
        }
        if (heldBefore < 0) {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM privacy_entries WHERE conversation = ?")) {
                st.setString(1, conversation);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    heldBefore = rs.getLong(1);
                }
            }
        }
        if (heldBefore + issuedInBatch >= limits.perConversation()) {
            throw new MaskingRefused(MaskingRefused.Reason.TOO_MANY_VALUES, "this conversation already holds "
                    + limits.perConversation() + " personal values, as many as one may; nothing of this request was "
                    + "stored: start a new conversation (another X-Yuanjian-Conversation id)");
        }
    }

    /** Takes the conversation's lock row (created when missing) for the rest of the request's transaction. */
    private void lockConversation(Connection c) throws SQLException {
        while (!locked) {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT last_num FROM privacy_counters WHERE conversation = ? AND type = ? FOR UPDATE")) {
                st.setString(1, conversation);
                st.setString(2, CONVERSATION_LOCK);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        locked = true;
                        return;
                    }
                }
            }
            Savepoint before = c.setSavepoint();
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO privacy_counters (conversation, type, last_num, last_used_ms) VALUES (?, ?, 0, ?)")) {
                st.setString(1, conversation);
                st.setString(2, CONVERSATION_LOCK);
                st.setLong(3, vault.now());
                st.executeUpdate();
            } catch (SQLException e) {
                if (!Vault.conflict(e)) {
                    throw e;
                }
                c.rollback(before); // another request made it first: lock it
            }
        }
    }

    private Integer lockCounter(Connection c, EntityType type) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT last_num FROM privacy_counters WHERE conversation = ? AND type = ? FOR UPDATE")) {
            st.setString(1, conversation);
            st.setString(2, type.name());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** A counter starting after every number still in use (a counter purged while entries lived is rebuilt right). */
    private void createCounter(Connection c, EntityType type) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO privacy_counters (conversation, type, last_num, "
                + "last_used_ms) SELECT ?, ?, COALESCE(MAX(num), 0), ? FROM privacy_entries WHERE conversation = ? AND type = ?")) {
            st.setString(1, conversation);
            st.setString(2, type.name());
            st.setLong(3, vault.now());
            st.setString(4, conversation);
            st.setString(5, type.name());
            st.executeUpdate(); // a conflict (another writer made it first) goes to the caller's savepoint
        }
    }

    private boolean reserved(Connection c, EntityType type, int number) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT 1 FROM privacy_reserved WHERE conversation = ? AND type = ? AND num = ?")) {
            st.setString(1, conversation);
            st.setString(2, type.name());
            st.setInt(3, number);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void touch(Connection c, String type, int number, long lastUsed) throws SQLException {
        if (!vault.stale(lastUsed)) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE privacy_entries SET last_used_ms = ? "
                + "WHERE conversation = ? AND type = ? AND num = ?")) {
            st.setLong(1, vault.now());
            st.setString(2, conversation);
            st.setString(3, type);
            st.setInt(4, number);
            st.executeUpdate();
        }
    }

    private byte[] aad(String type, int number) {
        return Vault.bytes(conversation + "\0" + type + "\0" + number);
    }

    @Override
    public Optional<String> originalOf(Placeholder placeholder) {
        String type = placeholder.type().name();
        try (Connection c = vault.db().getConnection()) {
            String subject;
            byte[] sealed;
            long lastUsed;
            try (PreparedStatement st = c.prepareStatement("SELECT subject, sealed, last_used_ms FROM privacy_entries "
                    + "WHERE conversation = ? AND type = ? AND num = ?")) {
                st.setString(1, conversation);
                st.setString(2, type);
                st.setInt(3, placeholder.number());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    subject = rs.getString(1);
                    sealed = rs.getBytes(2);
                    lastUsed = rs.getLong(3);
                }
            }
            if (vault.expired(lastUsed)) {
                return Optional.empty();
            }
            Optional<byte[]> key = vault.subjectKeyOf(c, subject, true);
            if (key.isEmpty()) {
                return Optional.empty(); // forgotten between the two reads
            }
            touch(c, type, placeholder.number(), lastUsed);
            return Optional.of(new String(Vault.open(key.get(), aad(type, placeholder.number()), sealed),
                    StandardCharsets.UTF_8));
        } catch (SQLException e) {
            throw Vault.failure("restore a placeholder", e);
        }
    }

    @Override
    public void reserve(Placeholder literal) {
        String type = literal.type().name();
        try {
            Connection c = batch();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT 1 FROM privacy_entries WHERE conversation = ? AND type = ? AND num = ?")) {
                st.setString(1, conversation);
                st.setString(2, type);
                st.setInt(3, literal.number());
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return; // ours: restoring it is right
                    }
                }
            }
            Savepoint before = c.setSavepoint();
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO privacy_reserved (conversation, type, num, last_used_ms) VALUES (?, ?, ?, ?)")) {
                st.setString(1, conversation);
                st.setString(2, type);
                st.setInt(3, literal.number());
                st.setLong(4, vault.now());
                st.executeUpdate();
            } catch (SQLException e) {
                if (!Vault.conflict(e)) {
                    throw e;
                }
                c.rollback(before); // already reserved
            }
        } catch (SQLException e) {
            discard();
            throw Vault.failure("reserve a literal", e);
        }
    }
}
