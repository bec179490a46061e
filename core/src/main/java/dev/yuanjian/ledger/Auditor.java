package dev.yuanjian.ledger;

import dev.yuanjian.ledger.LogTables.CheckpointRow;
import dev.yuanjian.ledger.LogTables.EntryRow;
import dev.yuanjian.ledger.TransparencyLog.AuditReport;
import dev.yuanjian.ledger.TransparencyLog.Problem;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * {@code log verify}: recomputes the tree from the stored entries alone and compares it with
 * everything else stored: each entry's leaf hash column, every stored hash, every checkpoint.
 * Entries stream in chunks (the next chunk is read while this one is hashed), so memory stays
 * flat whatever the log's size.
 *
 * <p>Findings are localised: an entry that does not hash to the stored leaf is reported at its
 * index; an interior stored hash is reported only when no reported entry lies beneath it (else
 * that entry already explains it), so one altered entry yields one entry problem, plus one per
 * checkpoint it invalidates.
 */
final class Auditor {
    /** Entries per chunk: a few megabytes in memory, two chunks at a time. */
    static final int CHUNK = 8192;

    private final DataSource dataSource;
    private final NoteVerifier verifier;
    private final int chunk;

    Auditor(DataSource dataSource, NoteVerifier verifier, int chunk) {
        this.dataSource = dataSource;
        this.verifier = verifier;
        this.chunk = chunk;
    }

    /** Entries [from, to) and their tree rows ({@code tree[i - from]}, null when absent). */
    private record Chunk(long from, long to, List<EntryRow> entries, byte[][] tree) {
    }

    AuditReport run() {
        long size;
        List<CheckpointRow> checkpoints;
        try (Connection c = dataSource.getConnection()) {
            size = LogTables.treeSize(c);
            checkpoints = LogTables.checkpoints(c);
        } catch (SQLException e) {
            throw new LogStorageException("cannot read the log for the audit: " + e.getMessage(), e);
        }
        List<Problem> problems = new ArrayList<>();
        Map<Long, Hash> roots = new HashMap<>();
        for (CheckpointRow checkpoint : checkpoints) {
            if (checkpoint.size() <= size) {
                roots.put(checkpoint.size(), null);
            }
        }
        roots.computeIfPresent(0L, (k, v) -> Tlog.EMPTY_TREE);
        recompute(size, roots, problems);
        for (CheckpointRow checkpoint : checkpoints) {
            checkCheckpoint(checkpoint, size, roots, problems);
        }
        return new AuditReport(size, checkpoints.size(), List.copyOf(problems));
    }

    private void recompute(long size, Map<Long, Hash> roots, List<Problem> problems) {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "ledger-audit-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Frontier truth = Frontier.empty();
            long[] lastBad = {-1};
            CompletableFuture<Chunk> next = size > 0 ? fetch(0, Math.min(size, chunk), reader) : null;
            while (next != null) {
                Chunk chunk = next.join();
                next = chunk.to() < size ? fetch(chunk.to(), Math.min(size, chunk.to() + this.chunk), reader) : null;
                check(chunk, truth, lastBad, roots, problems);
            }
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            reader.shutdownNow();
        }
    }

    private CompletableFuture<Chunk> fetch(long from, long to, ExecutorService reader) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = dataSource.getConnection()) {
                return new Chunk(from, to, LogTables.entryRange(c, from, to), LogTables.treeRange(c, from, to));
            } catch (SQLException e) {
                throw new LogStorageException("cannot read entries " + from + ".." + (to - 1) + ": " + e.getMessage(), e);
            }
        }, reader);
    }

    private static void check(Chunk chunk, Frontier truth, long[] lastBad, Map<Long, Hash> roots,
                              List<Problem> problems) {
        int row = 0;
        for (long i = chunk.from(); i < chunk.to(); i++) {
            EntryRow entry = row < chunk.entries().size() && chunk.entries().get(row).index() == i
                    ? chunk.entries().get(row++) : null;
            byte[] stored = chunk.tree()[(int) (i - chunk.from())];
            int count = 1 + Long.numberOfTrailingZeros(i + 1); // hashes entry i's append stored
            boolean treeRowOk = stored != null && stored.length == count * Hash.SIZE;
            Hash leaf;
            List<String> faults = new ArrayList<>();
            if (!treeRowOk) {
                faults.add(stored == null ? "has no tree row"
                        : "has a tree row of " + stored.length + " bytes where " + count * Hash.SIZE + " belong");
            }
            if (entry == null) {
                faults.add("is missing");
                // Stand in the stored leaf so the rest of the tree is still checked.
                leaf = treeRowOk ? Hash.of(stored, 0) : Hash.ZERO;
            } else {
                leaf = Tlog.recordHash(entry.record());
                if (treeRowOk && !leaf.matches(Arrays.copyOf(stored, Hash.SIZE))) {
                    faults.add("does not hash to the tree's leaf " + i + " (altered, replaced or moved)");
                }
                faults.addAll(recordFaults(entry));
            }
            if (!faults.isEmpty()) {
                problems.add(new Problem(i, -1, "entry " + i + " " + String.join("; ", faults)));
                lastBad[0] = i;
            }
            Hash[] computed = truth.append(leaf);
            for (int level = 1; level < computed.length && treeRowOk; level++) {
                long first = i + 1 - (1L << level);
                boolean matches = computed[level].matches(Arrays.copyOfRange(stored, level * Hash.SIZE, (level + 1) * Hash.SIZE));
                if (!matches && lastBad[0] < first) {
                    problems.add(new Problem(i, -1, "the tree hash over entries " + first + ".." + i + " (level "
                            + level + ", stored with entry " + i + ") does not match those entries"));
                }
            }
            if (roots.containsKey(i + 1)) {
                roots.put(i + 1, truth.root());
            }
        }
    }

    /** What is wrong with a row whose bytes are not a canonical record matching its lookup columns. */
    private static List<String> recordFaults(EntryRow entry) {
        ProvenanceRecord record;
        try {
            record = ProvenanceRecord.parse(entry.record());
        } catch (IOException e) {
            return List.of("is not a canonical provenance record (" + e.getMessage() + ")");
        }
        List<String> faults = new ArrayList<>();
        if (!record.contentId().equals(entry.contentId())) {
            faults.add("has content_id column '" + entry.contentId() + "' but its record says '" + record.contentId() + "'");
        }
        if (!Arrays.equals(record.sha256Bytes(), entry.sha256())) {
            faults.add("has sha256 column " + HexFormat.of().formatHex(entry.sha256()) + " but its record says " + record.sha256());
        }
        if (entry.sha256Key() != LogTables.sha256Key(record.sha256Bytes())) {
            faults.add("has a sha256_key column that does not index its record's sha256");
        }
        return faults;
    }

    private void checkCheckpoint(CheckpointRow row, long size, Map<Long, Hash> roots, List<Problem> problems) {
        String prefix = "checkpoint of size " + row.size() + ": ";
        Checkpoint signed;
        try {
            signed = Checkpoint.open(row.note(), verifier);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(-1, row.size(), prefix + "its note does not verify with the log key (" + e.getMessage() + ")"));
            return;
        }
        if (signed.size() != row.size() || !signed.root().matches(row.rootHash())) {
            problems.add(new Problem(-1, row.size(), prefix + "its columns differ from its signed note (size "
                    + signed.size() + ", root " + signed.root() + ")"));
        }
        if (signed.size() > size) {
            problems.add(new Problem(-1, row.size(), prefix + "signs " + signed.size()
                    + " entries but the log holds " + size + ": entries were removed"));
            return;
        }
        Hash recomputed = roots.get(signed.size());
        if (recomputed == null) {
            // The signed size differs from the row's: recompute is keyed by the row's size.
            problems.add(new Problem(-1, row.size(), prefix + "no recomputed root for size " + signed.size()));
        } else if (!recomputed.equals(signed.root())) {
            problems.add(new Problem(-1, row.size(), prefix + "the entries' tree of size " + signed.size()
                    + " has root " + recomputed + ", the checkpoint signs " + signed.root()));
        }
    }
}
