package dev.yuanjian.bench;

import dev.yuanjian.ledger.JdbcTransparencyLog;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import dev.yuanjian.store.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A benchmark log in an H2 file opened as the product opens it (AUTO_SERVER so other processes
 * can share it, WRITE_DELAY=0 so a commit reaches the file before it returns), filled with
 * realistic records.
 */
final class LogDataset {
    static final String ORIGIN = "yuanjian.bench/log";
    static final SigningKey KEY = SigningKey.fromSeed(new byte[32]);
    /** Appends kept in flight by the producer, as many concurrent labelling requests would. */
    static final int WINDOW = 8192;

    private LogDataset() {
    }

    static Database open(Path dir) throws Exception {
        Files.createDirectories(dir);
        return Database.open(Database.h2Url(new Home(dir.toAbsolutePath())), "sa", "");
    }

    /**
     * A record like the product's: a ULID-shaped content id as {@code pipeline.ContentIds} makes
     * (10 base32 characters of time, 16 of randomness), a random content hash, a prompt digest.
     */
    static ProvenanceRecord record(String prefix, long i) {
        byte[] content = sha256(prefix + " content " + i);
        long millis = 1_750_000_000_000L + i;
        return ProvenanceRecord.of(contentId(millis, content), "image/png", content, "91110000MA01BENCH0",
                "yuanjian-bench-model-v1", Instant.ofEpochMilli(millis), HexFormat.of().formatHex(sha256(prefix + " prompt " + i)));
    }

    private static String contentId(long millis, byte[] entropy) {
        char[] id = new char[26];
        for (int i = 9; i >= 0; i--, millis >>>= 5) {
            id[i] = BASE32[(int) (millis & 31)];
        }
        for (int i = 10; i < 26; i++) {
            id[i] = BASE32[entropy[i] & 31];
        }
        return new String(id);
    }

    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /**
     * Appends records {@code from..to-1} pipelined: up to {@link #WINDOW} appendAsync in flight,
     * each released when its future completes (committed). Returns the elapsed nanoseconds from
     * the first enqueue to the last acknowledgement.
     */
    static long appendPipelined(JdbcTransparencyLog log, String prefix, long from, long to) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (long i = from; i < to && failure.get() == null; i++) {
            window.acquire();
            log.appendAsync(record(prefix, i)).whenComplete((a, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                window.release();
            });
        }
        window.acquire(WINDOW); // every append acknowledged
        long elapsed = System.nanoTime() - start;
        window.release(WINDOW);
        if (failure.get() != null) {
            throw new IllegalStateException("an append failed", failure.get());
        }
        return elapsed;
    }

    /** The log at {@code dir}, filled to at least {@code entries} (reused when already there). */
    static void ensure(Path dir, long entries) throws Exception {
        try (Database db = open(dir); var log = new JdbcTransparencyLog(db, KEY, ORIGIN)) {
            long size = log.size();
            if (size < entries) {
                System.out.printf("populating %s: %,d -> %,d entries%n", dir, size, entries);
                long nanos = 0;
                // A checkpoint every 100,000 entries, as a server signing now and then would leave.
                for (long from = size; from < entries; from = Math.min(entries, (from / 100_000 + 1) * 100_000)) {
                    nanos += appendPipelined(log, "bench", from, Math.min(entries, (from / 100_000 + 1) * 100_000));
                    log.checkpoint();
                }
                System.out.printf("  populated %,d entries in %.1f s (%,.0f entries/s)%n", entries - size,
                        nanos / 1e9, (entries - size) / (nanos / 1e9));
            }
            log.checkpoint();
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
