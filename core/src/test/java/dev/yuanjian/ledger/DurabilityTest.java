package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.ledger.TransparencyLog.AuditReport;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means committed: a child JVM appends in a burst and is killed with SIGKILL in the
 * middle; every append it acknowledged must be in the reopened database, and the log must audit
 * intact.
 */
class DurabilityTest {
    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedAppendSurvivesKillNine() throws Exception {
        Path db = temp.resolve("burst");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), AppendBurst.class.getName(), "jdbc:h2:file:" + db + ";WRITE_DELAY=0", "10000000", "burst")
                .redirectError(temp.resolve("child.err").toFile())
                .start();
        Map<Long, String> acked = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    String[] parts = line.split(" ");
                    acked.put(Long.parseLong(parts[1]), parts[2]);
                    if (acked.size() == ACKS_BEFORE_KILL) {
                        // SIGKILL on Linux: no shutdown hooks, no close(). It also closes our end of
                        // the pipe, so acknowledgements still in flight are not counted: fewer to check.
                        child.destroyForcibly();
                        break;
                    }
                } else if (line.startsWith("error") || line.equals("appended")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acked).as("acknowledgements before the kill; child stderr in %s", temp.resolve("child.err"))
                .hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        try (Database reopened = Database.open("jdbc:h2:file:" + db + ";WRITE_DELAY=0", "sa", "");
             var log = new JdbcTransparencyLog(reopened, SigningKey.fromSeed(new byte[32]), "yuanjian.test/log")) {
            assertThat(log.size()).isGreaterThanOrEqualTo(acked.size());
            for (Map.Entry<Long, String> ack : acked.entrySet()) {
                assertThat(log.entry(ack.getKey())).as("acknowledged entry %d", ack.getKey())
                        .hasValueSatisfying(e -> assertThat(e.record().contentId()).isEqualTo(ack.getValue()));
            }
            AuditReport report = log.audit();
            assertThat(report.problems()).isEmpty();
            // The log goes on where the killed process stopped.
            long size = log.size();
            assertThat(log.append(Records.sample("after-the-kill", 1)).index()).isEqualTo(size);
        }
    }
}
