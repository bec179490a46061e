package dev.yuanjian.ledger;

import dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the log's tables (see {@code db/migration/V1__ledger.sql}), plain JDBC that H2 and
 * PostgreSQL both accept. Every method runs on the caller's connection and transaction; none
 * commits.
 */
final class LogTables {
    /** Bind variables per statement for IN lists: well under every driver's limit. */
    private static final int IN_LIST_CHUNK = 500;

    private LogTables() {
    }

    /** A stored entry row, unparsed. */
    record EntryRow(long index, String contentId, byte[] sha256, long sha256Key, byte[] record) {
        EntryRow(long index, String contentId, byte[] sha256, byte[] record) {
            this(index, contentId, sha256, LogTables.sha256Key(sha256), record);
        }
    }

    /** A stored checkpoint row. */
    record CheckpointRow(long size, byte[] rootHash, String note) {
    }

    static long treeSize(Connection c) throws SQLException {
        return head(c, "SELECT tree_size FROM ledger_head WHERE id = 1");
    }

    /** Reads the tree size and locks the head row until the transaction ends: the appenders' mutex. */
    static long lockHead(Connection c) throws SQLException {
        return head(c, "SELECT tree_size FROM ledger_head WHERE id = 1 FOR UPDATE");
    }

    private static long head(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new LogStorageException("the ledger_head row is missing");
            }
            return r.getLong(1);
        }
    }

    static void setTreeSize(Connection c, long size) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE ledger_head SET tree_size = ? WHERE id = 1")) {
            s.setLong(1, size);
            if (s.executeUpdate() != 1) {
                throw new LogStorageException("the ledger_head row is missing");
            }
        }
    }

    /** The content ids among {@code ids} that are already logged. */
    static Set<String> existingContentIds(Connection c, Collection<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK));
            String sql = "SELECT content_id FROM ledger_entries WHERE content_id IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setString(i + 1, chunk.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(r.getString(1));
                    }
                }
            }
        }
        return found;
    }

    static void insertEntries(Connection c, List<EntryRow> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO ledger_entries (idx, content_id, sha256, sha256_key, record) VALUES (?, ?, ?, ?, ?)")) {
            for (EntryRow row : rows) {
                s.setLong(1, row.index());
                s.setString(2, row.contentId());
                s.setBytes(3, row.sha256());
                s.setLong(4, row.sha256Key());
                s.setBytes(5, row.record());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Inserts the tree row of each entry: {@code hashes.get(i)} for entry {@code firstIndex + i}. */
    static void insertTree(Connection c, long firstIndex, List<byte[]> hashes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_tree (idx, hashes) VALUES (?, ?)")) {
            long index = firstIndex;
            for (byte[] row : hashes) {
                s.setLong(1, index++);
                s.setBytes(2, row);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * The stored hashes at {@code indexes}, in order; throws if any is missing. The hash at tree
     * coordinates (level, n) was stored by the last entry it covers, {@code ((n + 1) << level) - 1},
     * at position {@code level} of that entry's tree row.
     */
    static Hash[] readHashes(Connection c, long[] indexes) throws SQLException {
        long[] entries = new long[indexes.length];
        int[] positions = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            Tlog.Node node = Tlog.splitStoredHashIndex(indexes[i]);
            entries[i] = ((node.n() + 1) << node.level()) - 1;
            positions[i] = node.level();
        }
        Map<Long, byte[]> rows = new HashMap<>();
        long[] distinct = java.util.Arrays.stream(entries).distinct().toArray();
        for (int from = 0; from < distinct.length; from += IN_LIST_CHUNK) {
            int to = Math.min(distinct.length, from + IN_LIST_CHUNK);
            String sql = "SELECT idx, hashes FROM ledger_tree WHERE idx IN (" + placeholders(to - from) + ")";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = from; i < to; i++) {
                    s.setLong(i - from + 1, distinct[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.put(r.getLong(1), r.getBytes(2));
                    }
                }
            }
        }
        Hash[] out = new Hash[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            byte[] hashes = rows.get(entries[i]);
            int at = positions[i] * Hash.SIZE;
            if (hashes == null || hashes.length < at + Hash.SIZE) {
                throw new LogStorageException("stored hash " + indexes[i] + " (entry " + entries[i] + ", level "
                        + positions[i] + ") is missing; run the log audit");
            }
            out[i] = Hash.of(hashes, at);
        }
        return out;
    }

    /** Tree rows with index in [from, to), at offset index - from; absent rows stay null. */
    static byte[][] treeRange(Connection c, long from, long to) throws SQLException {
        byte[][] out = new byte[Math.toIntExact(to - from)][];
        try (PreparedStatement s = c.prepareStatement(
                "SELECT idx, hashes FROM ledger_tree WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            s.setLong(1, from);
            s.setLong(2, to);
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out[(int) (r.getLong(1) - from)] = r.getBytes(2);
                }
            }
        }
        return out;
    }

    /** Entry rows with index in [from, to), in index order. */
    static List<EntryRow> entryRange(Connection c, long from, long to) throws SQLException {
        List<EntryRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT idx, content_id, sha256, sha256_key, record "
                + "FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            s.setLong(1, from);
            s.setLong(2, to);
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(entryRow(r));
                }
            }
        }
        return out;
    }

    static Optional<EntryRow> entry(Connection c, long index) throws SQLException {
        return firstEntry(c, "idx = ?", s -> s.setLong(1, index));
    }

    static Optional<EntryRow> entryByContentId(Connection c, String contentId) throws SQLException {
        return firstEntry(c, "content_id = ?", s -> s.setString(1, contentId));
    }

    /** Entries whose content id is in [{@code from}, {@code to}), at most {@code limit}, oldest first. */
    static List<EntryRow> entriesByContentIdRange(Connection c, String from, String to, int limit) throws SQLException {
        List<EntryRow> rows = entries(c, "content_id >= ? AND content_id < ?", s -> {
            s.setString(1, from);
            s.setString(2, to);
        });
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    static List<EntryRow> entriesBySha256(Connection c, byte[] sha256) throws SQLException {
        return entries(c, "sha256_key = ? AND sha256 = ?", s -> {
            s.setLong(1, sha256Key(sha256));
            s.setBytes(2, sha256);
        });
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private static Optional<EntryRow> firstEntry(Connection c, String where, Binder binder) throws SQLException {
        List<EntryRow> rows = entries(c, where, binder);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<EntryRow> entries(Connection c, String where, Binder binder) throws SQLException {
        List<EntryRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT idx, content_id, sha256, sha256_key, record "
                + "FROM ledger_entries WHERE " + where + " ORDER BY idx")) {
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(entryRow(r));
                }
            }
        }
        return out;
    }

    private static EntryRow entryRow(ResultSet r) throws SQLException {
        return new EntryRow(r.getLong(1), r.getString(2), r.getBytes(3), r.getLong(4), r.getBytes(5));
    }

    static Optional<CheckpointRow> latestCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1");
             ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(new CheckpointRow(r.getLong(1), r.getBytes(2), r.getString(3))) : Optional.empty();
        }
    }

    static List<CheckpointRow> checkpoints(Connection c) throws SQLException {
        List<CheckpointRow> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new CheckpointRow(r.getLong(1), r.getBytes(2), r.getString(3)));
            }
        }
        return out;
    }

    static void insertCheckpoint(Connection c, SignedCheckpoint checkpoint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO ledger_checkpoints (tree_size, root_hash, note) VALUES (?, ?, ?)")) {
            s.setLong(1, checkpoint.size());
            s.setBytes(2, checkpoint.rootHash());
            s.setString(3, checkpoint.note());
            s.executeUpdate();
        }
    }

    /** The indexed stand-in for a SHA-256: its first 8 bytes, big-endian (0 for shorter input). */
    static long sha256Key(byte[] sha256) {
        return sha256.length < 8 ? 0 : java.nio.ByteBuffer.wrap(sha256, 0, 8).getLong();
    }

    private static String placeholders(int count) {
        return "?" + ",?".repeat(count - 1);
    }
}
