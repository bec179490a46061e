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
    private static final int CHUNK = 8192;

    private final DataSource dataSource;
    private final NoteVerifier verifier;

    Auditor(DataSource dataSource, NoteVerifier verifier) {
        this.dataSource = dataSource;
        this.verifier = verifier;
    }

    private record Chunk(long from, long to, List<EntryRow> entries, long firstHash, byte[][] hashes) {
        byte[] hash(long storedIndex) {
            long at = storedIndex - firstHash;
            return at >= 0 && at < hashes.length ? hashes[(int) at] : null;
        }
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
            CompletableFuture<Chunk> next = size > 0 ? fetch(0, Math.min(size, CHUNK), reader) : null;
            while (next != null) {
                Chunk chunk = next.join();
                next = chunk.to() < size ? fetch(chunk.to(), Math.min(size, chunk.to() + CHUNK), reader) : null;
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
            long firstHash = Tlog.storedHashIndex(0, from);
            long endHash = Tlog.storedHashCount(to);
            try (Connection c = dataSource.getConnection()) {
                return new Chunk(from, to, LogTables.entryRange(c, from, to), firstHash,
                        LogTables.hashRange(c, firstHash, endHash));
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
            long leafAt = Tlog.storedHashIndex(0, i);
            byte[] storedLeaf = chunk.hash(leafAt);
            Hash leaf;
            List<String> faults = new ArrayList<>();
            if (entry == null) {
                faults.add("is missing");
                // Stand in the stored leaf so the rest of the tree is still checked.
                leaf = storedLeaf != null && storedLeaf.length == Hash.SIZE ? Hash.of(storedLeaf) : Hash.ZERO;
            } else {
                leaf = Tlog.recordHash(entry.record());
                if (storedLeaf == null) {
                    faults.add("has no stored leaf hash");
                } else if (!leaf.matches(storedLeaf)) {
                    faults.add("does not hash to the tree's leaf " + i + " (altered, replaced or moved)");
                }
                if (!leaf.matches(entry.leafHash())) {
                    faults.add("does not hash to its leaf_hash column");
                }
                faults.addAll(recordFaults(entry));
            }
            if (!faults.isEmpty()) {
                problems.add(new Problem(i, -1, "entry " + i + " " + String.join("; ", faults)));
                lastBad[0] = i;
            }
            Hash[] computed = truth.append(leaf);
            for (int level = 1; level < computed.length; level++) {
                long first = i + 1 - (1L << level);
                byte[] stored = chunk.hash(leafAt + level);
                String what = "stored hash " + (leafAt + level) + " (level " + level + ", entries " + first + ".." + i + ")";
                if (stored == null) {
                    problems.add(new Problem(i, -1, what + " is missing"));
                } else if (!computed[level].matches(stored) && lastBad[0] < first) {
                    problems.add(new Problem(i, -1, what + " does not match the entries"));
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
