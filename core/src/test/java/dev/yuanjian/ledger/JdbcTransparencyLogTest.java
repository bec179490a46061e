package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.ledger.TransparencyLog.Appended;
import dev.yuanjian.ledger.TransparencyLog.ConsistencyProof;
import dev.yuanjian.ledger.TransparencyLog.InclusionProof;
import dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import dev.yuanjian.testing.TestDatabases;
import dev.yuanjian.testing.TestDatabases.Kind;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The log on a real database, H2 and PostgreSQL (the latter skips without YUANJIAN_TEST_PG_URL). */
class JdbcTransparencyLogTest {
    static final String ORIGIN = "yuanjian.test/log";
    static final SigningKey KEY = SigningKey.fromSeed(new byte[32]);

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void appendsAreNumberedFromZeroAndReadBack(Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            assertThat(log.size()).isZero();
            for (int i = 0; i < 5; i++) {
                Appended appended = log.append(Records.sample(i));
                assertThat(appended.index()).isEqualTo(i);
                assertThat(appended.entry().leafHash()).isEqualTo(Tlog.recordHash(Records.sample(i).canonicalJson()).bytes());
            }
            assertThat(log.size()).isEqualTo(5);
            assertThat(log.entry(3).orElseThrow().record()).isEqualTo(Records.sample(3));
            assertThat(log.entry(5)).isEmpty();
            assertThat(log.entry(-1)).isEmpty();
            assertThat(log.findByContentId("content-4").orElseThrow().index()).isEqualTo(4);
            assertThat(log.findByContentId("nope")).isEmpty();
            log.append(Records.sample("again-2", 2));
            assertThat(log.findBySha256(Records.sample(2).sha256Bytes())).extracting(e -> e.index()).containsExactly(2L, 5L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void entriesReadAgainAreTheSameBeyondTheCacheBound(Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            int n = 1100; // more than the entry cache keeps, so it empties and fills again
            List<CompletableFuture<Appended>> appends = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                appends.add(log.appendAsync(Records.sample(i)));
            }
            appends.forEach(CompletableFuture::join);
            for (int round = 0; round < 2; round++) {
                for (int i = n - 1; i >= 0; i -= 7) {
                    var entry = log.entry(i).orElseThrow();
                    assertThat(entry.index()).isEqualTo(i);
                    assertThat(entry.record()).isEqualTo(Records.sample(i));
                }
            }
            assertThat(log.entry(n)).isEmpty();
            log.append(Records.sample(n));
            assertThat(log.entry(n).orElseThrow().record()).isEqualTo(Records.sample(n)); // a miss is never remembered
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void duplicateContentIdsFailAloneEvenWithinOneBatch(Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            log.append(Records.sample(0));
            assertThatThrownBy(() -> log.append(Records.sample("content-0", 99)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content-0");
            List<CompletableFuture<Appended>> futures = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                futures.add(log.appendAsync(Records.sample(i)));
                if (i % 50 == 0) {
                    futures.add(log.appendAsync(Records.sample("content-" + i, i + 1000))); // same id again
                }
            }
            int failed = 0;
            for (CompletableFuture<Appended> f : futures) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(4);
            assertThat(log.size()).isEqualTo(201);
            assertThat(futures.stream().filter(f -> !f.isCompletedExceptionally()).map(f -> f.join().index()).sorted())
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(1, 201).boxed().toList());
            assertThat(log.audit().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void checkpointsAreSignedNotesOverTheRecomputedRoot(Kind kind) throws Exception {
        MemoryTree reference = new MemoryTree();
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            SignedCheckpoint empty = log.checkpoint();
            assertThat(empty.size()).isZero();
            assertThat(empty.rootHash()).isEqualTo(Tlog.EMPTY_TREE.bytes());
            for (int i = 0; i < 13; i++) {
                log.append(Records.sample(i));
                reference.append(Records.sample(i).canonicalJson());
            }
            SignedCheckpoint checkpoint = log.checkpoint();
            assertThat(log.checkpoint().note()).as("unchanged tree, same note").isEqualTo(checkpoint.note());
            assertThat(checkpoint.note()).startsWith(ORIGIN + "\n13\n" + reference.root(13) + "\n\n\u2014 " + ORIGIN + " ");
            Checkpoint opened = Checkpoint.open(checkpoint.note(), NoteVerifier.parse(log.verifierKey()));
            assertThat(opened).isEqualTo(new Checkpoint(ORIGIN, 13, reference.root(13)));
            assertThat(log.verifierKey()).startsWith(ORIGIN + "+");
            assertThat(log.checkpoints()).extracting(SignedCheckpoint::size).containsExactly(0L, 13L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readersReuseACheckpointThatAlreadyCoversTheirEntry(Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            for (int i = 0; i < 3; i++) {
                log.append(Records.sample(i));
            }
            assertThat(log.checkpointCovering(2).size()).isEqualTo(3);
            log.append(Records.sample(3));

            assertThat(log.checkpointCovering(2).size()).as("entry 2 is in the stored checkpoint").isEqualTo(3);
            assertThat(log.checkpoints()).extracting(SignedCheckpoint::size).containsExactly(3L);
            assertThat(log.checkpointCovering(3).size()).as("entry 3 needs a new one").isEqualTo(4);
            assertThat(log.checkpoints()).extracting(SignedCheckpoint::size).containsExactly(3L, 4L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void proofsFromTheDatabaseCheckForEveryIndexAndPair(Kind kind) throws Exception {
        int size = 33;
        MemoryTree reference = new MemoryTree();
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            appendSamples(log, reference, size);
            for (long t = 1; t <= size; t++) {
                for (long i = 0; i < t; i++) {
                    InclusionProof proof = log.inclusionProof(i, t);
                    assertThat(Tlog.checkRecord(hashes(proof.path()), t, Hash.of(proof.rootHash()), i,
                            Hash.of(proof.leafHash()))).isTrue();
                    assertThat(hashes(proof.path())).isEqualTo(Tlog.proveRecord(t, i, reference));
                }
                for (long old = 0; old <= t; old++) {
                    ConsistencyProof proof = log.consistencyProof(old, t);
                    assertThat(Hash.of(proof.newRoot())).isEqualTo(reference.root(t));
                    assertThat(Hash.of(proof.oldRoot())).isEqualTo(reference.root(old));
                    if (old > 0) {
                        assertThat(Tlog.checkTree(hashes(proof.path()), t, Hash.of(proof.newRoot()), old,
                                Hash.of(proof.oldRoot()))).isTrue();
                    } else {
                        assertThat(proof.path()).isEmpty();
                    }
                }
            }
            assertThatThrownBy(() -> log.inclusionProof(size, size)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.inclusionProof(0, size + 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.consistencyProof(5, 4)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tilesHoldTheStoredHashesAndEntryBundles(Kind kind) throws Exception {
        int size = 300;
        MemoryTree reference = new MemoryTree();
        try (Database db = TestDatabases.open(kind, temp); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            appendSamples(log, reference, size);
            for (Tile tile : Tile.treeTiles(size, false)) {
                assertThat(log.tile(tile.level(), tile.n(), tile.width())).as(tile.path()).contains(tile.readData(reference));
            }
            assertThat(log.tile(0, 1, 45)).isEmpty();
            assertThat(log.tile(1, 0, 2)).isEmpty();
            assertThat(log.tile(2, 0, 1)).isEmpty();
            byte[] bundle = log.tile(-1, 1, 44).orElseThrow();
            ByteBuffer in = ByteBuffer.wrap(bundle);
            for (int i = 256; i < 300; i++) {
                byte[] entry = new byte[in.getShort() & 0xffff];
                in.get(entry);
                assertThat(entry).isEqualTo(reference.record(i));
            }
            assertThat(in.hasRemaining()).isFalse();
            assertThat(log.tile(-1, 0, 256)).isPresent();
            assertThat(log.tile(-1, 1, 45)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoWritersOnOneDatabaseInterleaveWithoutLosingTheTree(Kind kind) throws Exception {
        // Two log instances stand for two processes sharing the database (CLI and server): each
        // caches the tree's edge and must notice the other's appends under the head lock.
        try (Database db = TestDatabases.open(kind, temp);
             var first = new JdbcTransparencyLog(db, KEY, ORIGIN, new JdbcTransparencyLog.Options(7, 100));
             var second = new JdbcTransparencyLog(db, KEY, ORIGIN, new JdbcTransparencyLog.Options(5, 100))) {
            List<CompletableFuture<Appended>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add((i % 3 == 0 ? second : first).appendAsync(Records.sample(i)));
                if (i % 40 == 0) {
                    futures.forEach(CompletableFuture::join);
                }
            }
            long[] indexes = futures.stream().mapToLong(f -> f.join().index()).sorted().toArray();
            assertThat(indexes).containsExactly(java.util.stream.LongStream.range(0, 300).toArray());
            first.checkpoint();
            assertThat(second.audit().problems()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closeWritesEverythingAcceptedAndRefusesMore(Kind kind) throws Exception {
        try (Database db = TestDatabases.open(kind, temp)) {
            List<CompletableFuture<Appended>> futures = new ArrayList<>();
            var log = new JdbcTransparencyLog(db, KEY, ORIGIN);
            for (int i = 0; i < 500; i++) {
                futures.add(log.appendAsync(Records.sample(i)));
            }
            log.close();
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThatThrownBy(() -> log.append(Records.sample(999))).isInstanceOf(IllegalStateException.class);
            try (var reopened = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
                assertThat(reopened.size()).isEqualTo(500);
                assertThat(reopened.append(Records.sample(500)).index()).isEqualTo(500);
            }
        }
    }

    static List<Hash> hashes(List<byte[]> bytes) {
        return bytes.stream().map(Hash::of).toList();
    }

    /** Appends samples 0..size-1 concurrently, mirroring them in {@code reference}; returns when all are durable. */
    private static void appendSamples(JdbcTransparencyLog log, MemoryTree reference, int size) {
        List<CompletableFuture<Appended>> futures = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            futures.add(log.appendAsync(Records.sample(i)));
            reference.append(Records.sample(i).canonicalJson());
        }
        futures.forEach(CompletableFuture::join);
    }
}
