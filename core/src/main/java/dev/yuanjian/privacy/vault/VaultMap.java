package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One conversation's placeholders in the {@link Vault}. Every call is a short transaction of its
 * own; nothing is cached, so two requests (or processes) of the same conversation see each other's
 * placeholders.
 */
final class VaultMap implements PlaceholderMap {
    private final Vault vault;
    private final String conversation;

    VaultMap(Vault vault, String conversation) {
        this.vault = vault;
        this.conversation = conversation;
    }

    @Override
    public Placeholder placeholderFor(EntityType type, String original) {
        String normalised = Subjects.normalise(type, original);
        String lookup = vault.lookup(type, normalised);
        try (Connection c = vault.db().getConnection()) {
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
            throw new IllegalStateException("the privacy vault could not issue a placeholder after five attempts "
                    + "(heavy contention on one conversation)");
        } catch (SQLException e) {
            throw Vault.failure("issue a placeholder", e);
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
     * Issues the next number of {@code type} for a new original, in one transaction that locks the
     * conversation's counter row; empty when another writer stored the same original or created
     * the counter first (the caller looks again).
     */
    private Optional<Placeholder> issue(Connection c, EntityType type, String original, String normalised, String lookup)
            throws SQLException {
        String subject = vault.subject(normalised);
        c.setAutoCommit(false); // one commit for the subject key, the entry and the counter
        try {
            Integer last = lockCounter(c, type);
            if (last == null) {
                c.rollback();
                c.setAutoCommit(true);
                createCounter(c, type);
                return Optional.empty();
            }
            if (find(c, lookup).isPresent()) {
                c.rollback();
                return Optional.empty();
            }
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
            c.commit();
            return Optional.of(new Placeholder(type, number));
        } catch (SQLException e) {
            c.rollback();
            if (Vault.conflict(e)) {
                return Optional.empty();
            }
            throw e;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
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
            st.executeUpdate();
        } catch (SQLException e) {
            if (!Vault.conflict(e)) {
                throw e;
            }
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
        try (Connection c = vault.db().getConnection()) {
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
            }
        } catch (SQLException e) {
            throw Vault.failure("reserve a literal", e);
        }
    }
}
