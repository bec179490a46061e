package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes append to one H2 file at once, as the CLI does while {@code yuanjian serve} runs:
 * H2's AUTO_SERVER makes the second a client of the first, the head row lock orders their
 * batches, and each writer reloads the tree's edge when it finds the other has appended.
 */
class SharedFileTest {
    private static final int EACH = 3000;

    @TempDir
    Path temp;

    @Test
    void aChildProcessAndThisOneAppendToTheSameFileAtOnce() throws Exception {
        String url = "jdbc:h2:file:" + temp.resolve("shared") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), AppendBurst.class.getName(), url, String.valueOf(EACH), "child", "wait")
                .redirectError(temp.resolve("child.err").toFile())
                .start();
        Set<Long> indexes = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
             OutputStream childInput = child.getOutputStream()) {
            assertThat(lines.readLine()).as("child stderr in %s", temp.resolve("child.err")).isEqualTo("ready");
            try (Database db = Database.open(url, "sa", "");
                 var log = new JdbcTransparencyLog(db, SigningKey.fromSeed(new byte[32]), "yuanjian.test/log")) {
                List<CompletableFuture<TransparencyLog.Appended>> mine = new ArrayList<>();
                // A first batch before the child starts and the rest after its first acknowledgement:
                // the child's entries then fall inside the parent's range however the scheduler runs them.
                for (int i = 0; i < EACH / 2; i++) {
                    mine.add(log.appendAsync(Records.sample("parent-" + i, i)));
                }
                CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).join();
                childInput.write("go\n".getBytes(StandardCharsets.US_ASCII));
                childInput.flush();
                String first = lines.readLine();
                assertThat(first).startsWith("ack ");
                indexes.add(Long.parseLong(first.split(" ")[1]));
                for (int i = EACH / 2; i < EACH; i++) {
                    mine.add(log.appendAsync(Records.sample("parent-" + i, i)));
                }
                for (String line; (line = lines.readLine()) != null && !line.equals("appended"); ) {
                    assertThat(line).startsWith("ack ");
                    indexes.add(Long.parseLong(line.split(" ")[1]));
                }
                long[] parent = mine.stream().mapToLong(f -> f.join().index()).sorted().toArray();
                for (long index : parent) {
                    indexes.add(index);
                }
                // The writers interleaved: the parent's entries do not form one block.
                assertThat(parent[parent.length - 1] - parent[0] + 1).isGreaterThan(EACH);

                assertThat(indexes).hasSize(2 * EACH); // no index given out twice
                assertThat(log.size()).isEqualTo(2 * EACH);
                assertThat(log.checkpoint().size()).isEqualTo(2 * EACH);
                assertThat(log.audit().problems()).isEmpty();
            }
            childInput.write("exit\n".getBytes(StandardCharsets.US_ASCII));
            childInput.flush();
            assertThat(lines.readLine()).isEqualTo("done");
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }
}
