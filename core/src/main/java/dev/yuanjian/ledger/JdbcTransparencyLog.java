package dev.yuanjian.ledger;

import dev.yuanjian.ledger.LogTables.CheckpointRow;
import dev.yuanjian.ledger.LogTables.EntryRow;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * The transparency log in the product's database (H2 or PostgreSQL, tables of
 * {@code V1__ledger.sql}).
 *
 * <p>Appends are durable and batched: {@link #append} and {@link #appendAsync} enqueue; one writer
 * thread takes up to {@link Options#maxBatch} queued records per transaction, locks the head row,
 * inserts the entries, their leaf and interior hashes and the new tree size, commits, and only
 * then completes the futures. A completed future is therefore a committed entry, and an index once
 * returned is never reassigned. The writer keeps the tree's right edge ({@link Frontier}) in
 * memory; when the head row shows that another process appended meanwhile (H2's AUTO_SERVER lets
 * the CLI and the server share one file), it reloads the edge from the database first.
 *
 * <p>Reads (entries, proofs, tiles, checkpoints) go to the database, so they see what other
 * processes appended; stored hashes and entries read by index are cached, which is safe because
 * they never change once committed (verify reads the same entry twice: for the seal, then for
 * the proof). Only {@link #audit} proves that the stored rows are still what was committed, and it
 * always reads the database.
 */
public final class JdbcTransparencyLog implements TransparencyLog {

    /**
     * Tuning: {@code maxBatch} records per append transaction (1 = one transaction per append);
     * {@code hashCacheSize} stored hashes of the upper tree (level 8 and up) kept for proofs.
     */
    public record Options(int maxBatch, int hashCacheSize) {
        public static final Options DEFAULT = new Options(1024, 65_536);

        public Options {
            if (maxBatch < 1 || hashCacheSize < 0) {
                throw new IllegalArgumentException("maxBatch must be >= 1 and hashCacheSize >= 0");
            }
        }
    }

    private final DataSource dataSource;
    private final boolean h2;
    /**
     * H2 sessions (physical connections, behind the pool's proxies) already told to wait 30 s for a
     * row lock. Weak: a connection the pool retires is forgotten with it.
     */
    private final Set<Connection> waitingLonger = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private final SigningKey key;
    private final String origin;
    private final NoteVerifier verifier;
    private final Options options;
    private final HashCache cache;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private final Thread writer;
    private boolean closed;

    /** A lower bound of the durable tree size (it only grows): spares a query per proof. */
    private final java.util.concurrent.atomic.AtomicLong knownSize = new java.util.concurrent.atomic.AtomicLong();

    /** Entries read by index, at most {@link #ENTRY_CACHE} (then emptied): a file's verify reads its entry twice. */
    private final java.util.Map<Long, LoggedEntry> entries = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int ENTRY_CACHE = 1024;

    /** Only the writer thread touches it; null means "reload from the database". */
    private Frontier frontier;

    private record Pending(ProvenanceRecord record, byte[] json, Hash leaf, CompletableFuture<Appended> done) {
    }

    private static final Pending STOP = new Pending(null, null, null, null);

    /** A log in {@code database}, signing checkpoints with {@code key} under {@code origin}. */
    public JdbcTransparencyLog(Database database, SigningKey key, String origin) {
        this(database, key, origin, Options.DEFAULT);
    }

    /**
     * @param origin the checkpoint origin line and signing key name, e.g. {@code yuanjian.local/log}:
     *     non-empty, without spaces or {@code +}
     */
    public JdbcTransparencyLog(Database database, SigningKey key, String origin, Options options) {
        NoteVerifier.requireValidName(origin);
        this.dataSource = database.dataSource();
        this.h2 = !database.isPostgres();
        this.key = Objects.requireNonNull(key, "key");
        this.origin = origin;
        this.verifier = NoteVerifier.of(origin, key);
        this.options = Objects.requireNonNull(options, "options");
        this.cache = new HashCache(options.hashCacheSize());
        this.writer = new Thread(this::writeLoop, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public Appended append(ProvenanceRecord record) {
        try {
            return appendAsync(record).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<Appended> appendAsync(ProvenanceRecord record) {
        Objects.requireNonNull(record, "record");
        // Encoding and hashing happen on the caller's thread, so many callers hash in parallel.
        byte[] json = record.canonicalJson();
        if (json.length > 0xffff) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "record of " + json.length + " bytes does not fit a tile entry bundle (max 65535)"));
        }
        Pending pending = new Pending(record, json, Tlog.recordHash(json), new CompletableFuture<>());
        synchronized (lifecycle) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the log is closed"));
            }
            queue.add(pending);
        }
        return pending.done();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break; // only close() interrupts, after STOP failed to arrive
            }
            queue.drainTo(batch, options.maxBatch() - 1);
            if (batch.removeIf(p -> p == STOP)) {
                stopping = true;
                queue.drainTo(batch); // close() accepts nothing after STOP: write what came before
            }
            for (int from = 0; from < batch.size(); from += options.maxBatch()) {
                List<Pending> part = batch.subList(from, Math.min(batch.size(), from + options.maxBatch()));
                try {
                    writeBatch(part);
                } catch (Throwable e) { // e.g. OutOfMemoryError: fail these callers, keep serving the others
                    frontier = null;
                    part.forEach(p -> p.done().completeExceptionally(e));
                }
            }
            batch.clear();
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            if (left != STOP) {
                left.done().completeExceptionally(new IllegalStateException("the log was closed"));
            }
        }
    }

    /** One transaction: lock head, reject duplicates, insert entries and hashes, raise head, commit. */
    private void writeBatch(List<Pending> batch) {
        List<Pending> accepted = new ArrayList<>(batch.size());
        List<Appended> results = new ArrayList<>(batch.size());
        List<Pending> duplicates = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                prepare(c);
                long size = LogTables.lockHead(c);
                if (frontier == null || frontier.size() != size) {
                    frontier = Frontier.load(size, indexes -> readHashes(c, indexes));
                }
                Set<String> taken = LogTables.existingContentIds(c,
                        batch.stream().map(p -> p.record().contentId()).toList());
                Set<String> seen = new HashSet<>();
                Frontier next = frontier.copy();
                List<EntryRow> rows = new ArrayList<>(batch.size());
                List<byte[]> tree = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    String id = p.record().contentId();
                    if (taken.contains(id) || !seen.add(id)) {
                        duplicates.add(p);
                        continue;
                    }
                    long index = next.size();
                    rows.add(new EntryRow(index, id, p.record().sha256Bytes(), p.json()));
                    tree.add(concat(next.append(p.leaf())));
                    accepted.add(p);
                    results.add(new Appended(index, new LoggedEntry(index, p.record(), p.leaf().bytes())));
                }
                if (!rows.isEmpty()) {
                    LogTables.insertEntries(c, rows);
                    LogTables.insertTree(c, size, tree);
                    LogTables.setTreeSize(c, next.size());
                }
                c.commit();
                frontier = next;
                knownSize.accumulateAndGet(next.size(), Math::max);
            } catch (SQLException | RuntimeException e) {
                frontier = null;
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            // Rolled back; only if the commit itself failed can the outcome be unknown, and then
            // a retry meets the duplicate check rather than logging the record twice.
            LogStorageException failure = new LogStorageException("append failed: " + e.getMessage(), e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        // Completed only now: a caller never hears of an append (or a rejection) that may roll back.
        for (int i = 0; i < accepted.size(); i++) {
            accepted.get(i).done().complete(results.get(i));
        }
        for (Pending p : duplicates) {
            p.done().completeExceptionally(new IllegalArgumentException(
                    "content id " + p.record().contentId() + " is already in the log"));
        }
    }

    private static byte[] concat(Hash[] hashes) {
        byte[] out = new byte[hashes.length * Hash.SIZE];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i].copyTo(out, i * Hash.SIZE);
        }
        return out;
    }

    private void prepare(Connection c) throws SQLException {
        if (h2) {
            // H2 waits 1 s for a row lock by default; another process's batch may hold the head longer.
            // Once per session: any SET in H2 empties every session's cache of parsed statements, so
            // setting it per batch made H2 parse each of the batch's statements again (a fifth of
            // the writer's time under load).
            Connection session = c.unwrap(Connection.class);
            if (!waitingLonger.contains(session)) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCK_TIMEOUT 30000");
                }
                waitingLonger.add(session);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static Hash[] readHashes(Connection c, long[] indexes) {
        try {
            return LogTables.readHashes(c, indexes);
        } catch (SQLException e) {
            throw new LogStorageException("cannot read stored hashes: " + e.getMessage(), e);
        }
    }

    /** Stored hashes through the cache, misses read in one query on a pooled connection. */
    private Hash[] cachedHashes(long[] indexes) {
        return cache.read(indexes, missing -> withConnection(c -> LogTables.readHashes(c, missing)));
    }

    @Override
    public long size() {
        long size = withConnection(LogTables::treeSize);
        knownSize.accumulateAndGet(size, Math::max);
        return size;
    }

    @Override
    public Optional<LoggedEntry> entry(long index) {
        if (index < 0) {
            return Optional.empty();
        }
        LoggedEntry cached = entries.get(index);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<LoggedEntry> read = withConnection(c -> LogTables.entry(c, index)).map(JdbcTransparencyLog::logged);
        read.ifPresent(entry -> {
            if (entries.size() >= ENTRY_CACHE) {
                entries.clear(); // bounded; the pattern served is "the same entry again, soon"
            }
            entries.put(index, entry);
        });
        return read;
    }

    @Override
    public Optional<LoggedEntry> findByContentId(String contentId) {
        return withConnection(c -> LogTables.entryByContentId(c, contentId)).map(JdbcTransparencyLog::logged);
    }

    @Override
    public List<LoggedEntry> findByContentIdRange(String from, String to, int limit) {
        return withConnection(c -> LogTables.entriesByContentIdRange(c, from, to, limit)).stream()
                .filter(row -> row.contentId().compareTo(from) >= 0 && row.contentId().compareTo(to) < 0)
                .map(JdbcTransparencyLog::logged).toList();
    }

    @Override
    public List<LoggedEntry> findBySha256(byte[] sha256) {
        return withConnection(c -> LogTables.entriesBySha256(c, sha256)).stream().map(JdbcTransparencyLog::logged).toList();
    }

    private static LoggedEntry logged(EntryRow row) {
        try {
            return new LoggedEntry(row.index(), ProvenanceRecord.parse(row.record()), Tlog.recordHash(row.record()).bytes());
        } catch (IOException e) {
            throw new LogStorageException("entry " + row.index() + " is corrupt (" + e.getMessage()
                    + "); run the log audit", e);
        }
    }

    @Override
    public SignedCheckpoint checkpoint() {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                prepare(c);
                // The head lock orders this against appenders and other signers: one note per size.
                long size = LogTables.lockHead(c);
                Optional<CheckpointRow> latest = LogTables.latestCheckpoint(c);
                if (latest.isPresent() && latest.get().size() >= size) {
                    c.commit();
                    if (latest.get().size() > size) {
                        throw new LogStorageException("the newest checkpoint signs " + latest.get().size()
                                + " entries but the log holds " + size + "; run the log audit");
                    }
                    return signedCheckpoint(latest.get());
                }
                Hash root = Tlog.treeHash(size, indexes -> readHashes(c, indexes));
                String note = Note.sign(new Checkpoint(origin, size, root).body(), origin, key);
                SignedCheckpoint signed = new SignedCheckpoint(origin, size, root.bytes(), note);
                LogTables.insertCheckpoint(c, signed);
                c.commit();
                return signed;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public SignedCheckpoint checkpointCovering(long index) {
        Optional<CheckpointRow> latest = withConnection(LogTables::latestCheckpoint);
        if (latest.isPresent() && latest.get().size() > index) {
            return signedCheckpoint(latest.get());
        }
        return checkpoint();
    }

    @Override
    public List<SignedCheckpoint> checkpoints() {
        return withConnection(LogTables::checkpoints).stream().map(this::signedCheckpoint).toList();
    }

    private SignedCheckpoint signedCheckpoint(CheckpointRow row) {
        return new SignedCheckpoint(origin, row.size(), row.rootHash(), row.note());
    }

    @Override
    public InclusionProof inclusionProof(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("no entry " + index + " in a tree of size " + treeSize);
        }
        requireWithinLog(treeSize);
        long leafIndex = Tlog.storedHashIndex(0, index);
        HashReader hashes = prefetch(Tlog.proveRecordIndexes(treeSize, index), Tlog.treeHashIndexes(treeSize),
                new long[] {leafIndex});
        List<Hash> path = Tlog.proveRecord(treeSize, index, hashes);
        return new InclusionProof(index, treeSize, hashes.readHashes(new long[] {leafIndex})[0].bytes(),
                bytesOf(path), Tlog.treeHash(treeSize, hashes).bytes());
    }

    @Override
    public ConsistencyProof consistencyProof(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from size " + oldSize + " to size " + newSize);
        }
        requireWithinLog(newSize);
        if (oldSize == 0) {
            // Every tree extends the empty one; RFC 6962 proves that with an empty path.
            Hash newRoot = Tlog.treeHash(newSize, prefetch(Tlog.treeHashIndexes(newSize)));
            return new ConsistencyProof(0, newSize, List.of(), Tlog.EMPTY_TREE.bytes(), newRoot.bytes());
        }
        HashReader hashes = prefetch(Tlog.proveTreeIndexes(newSize, oldSize), Tlog.treeHashIndexes(oldSize),
                Tlog.treeHashIndexes(newSize));
        List<Hash> path = Tlog.proveTree(newSize, oldSize, hashes);
        return new ConsistencyProof(oldSize, newSize, bytesOf(path), Tlog.treeHash(oldSize, hashes).bytes(),
                Tlog.treeHash(newSize, hashes).bytes());
    }

    private void requireWithinLog(long treeSize) {
        if (treeSize <= knownSize.get()) {
            return;
        }
        long size = size();
        if (treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the log's " + size + " entries");
        }
    }

    /** Reads all of {@code indexSets} in one round trip and serves them from memory. */
    private HashReader prefetch(long[]... indexSets) {
        long[] all = java.util.Arrays.stream(indexSets).flatMapToLong(java.util.Arrays::stream).sorted().distinct().toArray();
        Hash[] hashes = cachedHashes(all);
        return wanted -> {
            Hash[] out = new Hash[wanted.length];
            for (int i = 0; i < wanted.length; i++) {
                int at = java.util.Arrays.binarySearch(all, wanted[i]);
                if (at < 0) {
                    throw new IllegalStateException("bad math: stored hash " + wanted[i] + " was not prefetched");
                }
                out[i] = hashes[at];
            }
            return out;
        };
    }

    private static List<byte[]> bytesOf(List<Hash> hashes) {
        return hashes.stream().map(Hash::bytes).toList();
    }

    @Override
    public Optional<byte[]> tile(int level, long n, int width) {
        Tile tile = new Tile(level, n, width);
        if (!tile.existsIn(size())) {
            return Optional.empty();
        }
        if (!tile.isEntries()) {
            return Optional.of(tile.readData(indexes -> withConnection(c -> LogTables.readHashes(c, indexes))));
        }
        long from = n * Tile.FULL_WIDTH;
        List<EntryRow> rows = withConnection(c -> LogTables.entryRange(c, from, from + width));
        if (rows.size() != width) {
            throw new LogStorageException("entries " + from + ".." + (from + width - 1) + " are incomplete; run the log audit");
        }
        ByteArrayOutputStream bundle = new ByteArrayOutputStream(width * 512);
        for (EntryRow row : rows) {
            bundle.write(row.record().length >> 8);
            bundle.write(row.record().length);
            bundle.writeBytes(row.record());
        }
        return Optional.of(bundle.toByteArray());
    }

    @Override
    public AuditReport audit() {
        return audit(Auditor.CHUNK);
    }

    /** {@link #audit()} reading {@code chunk} entries at a time; tests cross chunk edges cheaply. */
    AuditReport audit(int chunk) {
        return new Auditor(dataSource, verifier, chunk).run();
    }

    @Override
    public String verifierKey() {
        return verifier.encoded();
    }

    @Override
    public String origin() {
        return origin;
    }

    /** The latest stored checkpoint's note, as served at {@code <prefix>/checkpoint}; signs one if needed. */
    public String checkpointNote() {
        return checkpoint().note();
    }

    /** Drains the queue (every accepted append is written), then stops the writer. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T withConnection(SqlFunction<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new LogStorageException("log storage failed: " + e.getMessage(), e);
        }
    }
}
