package dev.yuanjian.bench;

import dev.yuanjian.ledger.JdbcTransparencyLog;
import dev.yuanjian.ledger.TransparencyLog.AuditReport;
import dev.yuanjian.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The transparency log benchmarks: append throughput, proof latency, audit time. */
final class LogBench {
    private LogBench() {
    }

    /**
     * {@code log-append [--entries 200000] [--baseline-entries 10000] [--runs 5] [--batch 1024]
     * [--dir bench/out/append]}: durable append throughput on a fresh H2 log, batched (up to
     * {@code --batch} records per transaction) against the baseline of one transaction per append,
     * both fed by the same pipelined producer (8,192 appends in flight); after a discarded warm-up pair, runs interleaved, medians.
     */
    static int append(String[] args) throws Exception {
        Options options = Options.parse(args);
        long entries = options.number("entries", 200_000);
        long baselineEntries = options.number("baseline-entries", 10_000);
        int runs = (int) options.number("runs", 5);
        Path dir = Path.of(options.text("dir", "bench/out/append"));
        int maxBatch = (int) options.number("batch", JdbcTransparencyLog.Options.DEFAULT.maxBatch());
        double[] batched = new double[runs];
        double[] single = new double[runs];
        // A discarded pair first: H2's code paths are large and their JIT compilation on two
        // cores otherwise lands in the first measured run.
        throughput(dir.resolve("batched"), new JdbcTransparencyLog.Options(maxBatch, 65_536), entries);
        throughput(dir.resolve("one-per-transaction"), new JdbcTransparencyLog.Options(1, 65_536), baselineEntries);
        for (int run = 0; run < runs; run++) { // interleaved, so both see the same machine
            batched[run] = throughput(dir.resolve("batched"), new JdbcTransparencyLog.Options(maxBatch, 65_536), entries);
            single[run] = throughput(dir.resolve("one-per-transaction"), new JdbcTransparencyLog.Options(1, 65_536),
                    baselineEntries);
            System.out.printf("log-append: run %d: batched %,.0f entries/s, one transaction per append %,.0f entries/s%n",
                    run + 1, batched[run], single[run]);
        }
        Arrays.sort(batched);
        Arrays.sort(single);
        double batchedMedian = batched[runs / 2];
        System.out.printf("log-append: batched (maxBatch %d), median of %d: %,10.0f entries/s (%,.0f..%,.0f; %,d entries each)%n",
                maxBatch, runs, batchedMedian, batched[0], batched[runs - 1], entries);
        System.out.printf("log-append: baseline, one transaction per append:  %,10.0f entries/s (%,.0f..%,.0f; %,d entries each)%n",
                single[runs / 2], single[0], single[runs - 1], baselineEntries);
        System.out.printf("log-append: batching speed-up x%.1f; target >= 20,000 entries/s: %s%n",
                batchedMedian / single[runs / 2], batchedMedian >= 20_000 ? "met" : "MISSED");
        return 0;
    }

    private static double throughput(Path dir, JdbcTransparencyLog.Options tuning, long entries) throws Exception {
        deleteRecursively(dir);
        try (Database db = LogDataset.open(dir);
             var log = new JdbcTransparencyLog(db, LogDataset.KEY, LogDataset.ORIGIN, tuning)) {
            LogDataset.appendPipelined(log, "warmup", 0, Math.min(2_000, entries / 10)); // JIT, pool, H2 caches
            long size = log.size();
            long nanos = LogDataset.appendPipelined(log, "bench", size, size + entries);
            if (log.size() != size + entries) {
                throw new IllegalStateException("lost appends: " + log.size());
            }
            return entries / (nanos / 1e9);
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * {@code log-proof [--entries 1000000] [--dir bench/out/log-1m]}: JMH average time of an
     * inclusion proof at the given tree size, warm hash cache against no cache.
     */
    static int proof(String[] args) throws Exception {
        Options options = Options.parse(args);
        long entries = options.number("entries", 1_000_000);
        Path dir = Path.of(options.text("dir", "bench/out/log-1m")).toAbsolutePath();
        LogDataset.ensure(dir, entries);
        new Runner(new OptionsBuilder()
                .include(InclusionProofBenchmark.class.getName())
                .param("dir", dir.toString())
                .forks(1)
                .warmupIterations(6).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .build()).run();
        return 0;
    }

    /**
     * {@code log-verify [--entries 1000000] [--dir bench/out/log-1m]}: the time of {@code audit()}
     * over the whole log, against the baseline of only streaming the same rows (no hashing).
     */
    static int verify(String[] args) throws Exception {
        Options options = Options.parse(args);
        long entries = options.number("entries", 1_000_000);
        Path dir = Path.of(options.text("dir", "bench/out/log-1m")).toAbsolutePath();
        LogDataset.ensure(dir, entries);
        try (Database db = LogDataset.open(dir);
             var log = new JdbcTransparencyLog(db, LogDataset.KEY, LogDataset.ORIGIN)) {
            // Cold first (fresh process: H2's page cache empty), then the baseline, then warm again.
            long start = System.nanoTime();
            AuditReport report = log.audit();
            double coldSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            long[] streamed = streamAll(db);
            double readSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            log.audit();
            double warmSeconds = (System.nanoTime() - start) / 1e9;
            if (!report.intact()) {
                System.out.println("log-verify: PROBLEMS " + report.problems().subList(0, Math.min(5, report.problems().size())));
                return 1;
            }
            System.out.printf("log-verify: audit of %,d entries and %d checkpoints (intact), first run: %.1f s "
                    + "(%,.0f entries/s); target <= 60 s: %s%n", report.entries(), report.checkpointsChecked(),
                    coldSeconds, report.entries() / coldSeconds, coldSeconds <= 60 ? "met" : "MISSED");
            System.out.printf("log-verify: baseline, only streaming the same %,d entry rows and %,d tree rows: %.1f s%n",
                    streamed[0], streamed[1], readSeconds);
            System.out.printf("log-verify: audit again, H2 caches warm: %.1f s%n", warmSeconds);
        }
        return 0;
    }

    private static long[] streamAll(Database db) throws Exception {
        long[] counts = new long[2];
        long bytes = 0;
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery("SELECT idx, content_id, sha256, record FROM ledger_entries ORDER BY idx")) {
                while (r.next()) {
                    bytes += r.getLong(1) + r.getString(2).length() + r.getBytes(3).length + r.getBytes(4).length;
                    counts[0]++;
                }
            }
            try (ResultSet r = s.executeQuery("SELECT idx, hashes FROM ledger_tree ORDER BY idx")) {
                while (r.next()) {
                    bytes += r.getLong(1) + r.getBytes(2).length;
                    counts[1]++;
                }
            }
        }
        if (bytes == 42) {
            System.out.print(""); // keep the reads observable
        }
        return counts;
    }

    static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
