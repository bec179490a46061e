package dev.yuanjian.bench;

import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.Placeholder;
import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.privacy.vault.Vault;
import dev.yuanjian.privacy.vault.VaultKey;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code pii-vault [--values 2000] [--runs 5] [--dir bench/out/vault]}: what a conversation's
 * placeholders cost in the encrypted vault on the product's embedded H2 database (durable commits),
 * per operation: issuing a placeholder for a new value, looking up one already issued, restoring a
 * placeholder, forgetting a subject; beside the in-memory map of one request (the baseline, same
 * values, same run). Runs interleaved after a discarded warm-up, medians in microseconds.
 */
final class VaultBench {
    private VaultBench() {
    }

    static int run(String[] args) throws Exception {
        Options options = Options.parse(args);
        int values = (int) options.number("values", 2_000);
        int runs = (int) options.number("runs", 5);
        Path dir = Path.of(options.text("dir", "bench/out/vault"));
        double[][] vault = new double[4][runs];
        double[][] memory = new double[3][runs];
        once(dir, values, true);
        once(dir, values, false);
        for (int r = 0; r < runs; r++) {
            double[] v = once(dir, values, true);
            double[] m = once(dir, values, false);
            for (int i = 0; i < 4; i++) {
                vault[i][r] = v[i];
            }
            for (int i = 0; i < 3; i++) {
                memory[i][r] = m[i];
            }
            System.out.printf("pii-vault: run %d: vault issue %.1f, lookup %.1f, restore %.1f, forget %.1f us/op; "
                    + "memory issue %.2f, lookup %.2f, restore %.2f us/op%n", r + 1, v[0], v[1], v[2], v[3], m[0], m[1], m[2]);
        }
        String[] names = {"issue (new value)", "lookup (issued value)", "restore (placeholder)", "forget (subject)"};
        for (int i = 0; i < 4; i++) {
            Arrays.sort(vault[i]);
            String base = "";
            if (i < 3) {
                Arrays.sort(memory[i]);
                base = String.format("; in-memory map %.2f us", memory[i][runs / 2]);
            }
            System.out.printf("pii-vault: %-22s median of %d: %8.1f us/op (%.1f..%.1f)%s%n", names[i], runs,
                    vault[i][runs / 2], vault[i][0], vault[i][runs - 1], base);
        }
        return 0;
    }

    /** One run on a fresh data directory: microseconds per issue, lookup, restore (and forget for the vault). */
    private static double[] once(Path dir, int values, boolean useVault) throws Exception {
        delete(dir);
        Home home = new Home(dir).ensureExists();
        String[] originals = new String[values];
        for (int i = 0; i < values; i++) {
            originals[i] = "user" + i + "@example.com";
        }
        try (Database db = useVault ? Database.openEmbedded(home) : null) {
            PlaceholderMap map = useVault ? new Vault(db.dataSource(), true, VaultKey.load(home.resolve("keys/vault.key"),
                    Map.of(), db.dataSource()), Duration.ofHours(24), Clock.systemUTC()).open("bench", "conversation")
                    : new MemoryPlaceholderMap();
            long t0 = System.nanoTime();
            for (String o : originals) {
                map.placeholderFor(EntityType.EMAIL_ADDRESS, o);
            }
            long t1 = System.nanoTime();
            for (String o : originals) {
                map.placeholderFor(EntityType.EMAIL_ADDRESS, o);
            }
            long t2 = System.nanoTime();
            for (int i = 1; i <= values; i++) {
                if (map.originalOf(new Placeholder(EntityType.EMAIL_ADDRESS, i)).isEmpty()) {
                    throw new IllegalStateException("placeholder " + i + " did not restore");
                }
            }
            long t3 = System.nanoTime();
            double forget = 0;
            if (useVault) {
                Vault vault = new Vault(db.dataSource(), true, VaultKey.load(home.resolve("keys/vault.key"), Map.of(),
                        db.dataSource()), Duration.ofHours(24), Clock.systemUTC());
                int n = Math.min(200, values);
                long f0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    vault.forget(originals[i], Optional.of(EntityType.EMAIL_ADDRESS));
                }
                forget = (System.nanoTime() - f0) / 1e3 / n;
            }
            return new double[] {(t1 - t0) / 1e3 / values, (t2 - t1) / 1e3 / values, (t3 - t2) / 1e3 / values, forget};
        }
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
