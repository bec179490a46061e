package dev.yuanjian.bench;

import dev.yuanjian.ledger.JdbcTransparencyLog;
import dev.yuanjian.ledger.TransparencyLog.InclusionProof;
import dev.yuanjian.store.Database;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inclusion proof latency for a random entry of the whole log (1,000,000 entries by default,
 * populated by {@code log-proof}): the proof path, the leaf and the root, from the database.
 * {@code warmCache}: the log's default cache of the upper tree (hashes of level 8 and up, shared by
 * all proofs), warmed by the warmup iterations; the 10 lower hashes (on average) of each proof are
 * read in one query. {@code noCache}: cache size 0, so all 26 stored hashes (on average) of every
 * proof (path, root parts, leaf) are read from H2 in one IN query per proof: the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InclusionProofBenchmark {
    @Param("bench/out/log-1m")
    public String dir;

    private Database db;
    private JdbcTransparencyLog cached;
    private JdbcTransparencyLog uncached;
    private long size;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void open() throws Exception {
        db = LogDataset.open(Path.of(dir));
        cached = new JdbcTransparencyLog(db, LogDataset.KEY, LogDataset.ORIGIN);
        uncached = new JdbcTransparencyLog(db, LogDataset.KEY, LogDataset.ORIGIN, new JdbcTransparencyLog.Options(1024, 0));
        size = cached.size();
    }

    @TearDown(Level.Trial)
    public void close() {
        cached.close();
        uncached.close();
        db.close();
    }

    @Benchmark
    public InclusionProof warmCache() {
        return cached.inclusionProof(random.nextLong(size), size);
    }

    @Benchmark
    public InclusionProof noCache() {
        return uncached.inclusionProof(random.nextLong(size), size);
    }
}
