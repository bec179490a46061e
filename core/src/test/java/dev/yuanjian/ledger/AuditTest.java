package dev.yuanjian.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.ledger.TransparencyLog.AuditReport;
import dev.yuanjian.ledger.TransparencyLog.Problem;
import dev.yuanjian.store.Database;
import dev.yuanjian.testing.TestDatabases;
import dev.yuanjian.testing.TestDatabases.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tampering directly in the database, as an insider could, and what {@code audit()} reports. */
class AuditTest {
    private static final int SIZE = 2600;
    private static final int CHUNK = 1024; // several audit chunks

    @TempDir
    Path temp;

    private Database db;
    private JdbcTransparencyLog log;

    private void open(Kind kind) throws Exception {
        db = TestDatabases.open(kind, temp);
        log = new JdbcTransparencyLog(db, JdbcTransparencyLogTest.KEY, JdbcTransparencyLogTest.ORIGIN);
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            futures.add(log.appendAsync(Records.sample(i)));
            if (i == 99 || i == 1199) {
                futures.forEach(CompletableFuture::join);
                log.checkpoint();
            }
        }
        futures.forEach(CompletableFuture::join);
        log.checkpoint();
    }

    private void close() {
        log.close();
        db.close();
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private void swap(long a, long b) throws Exception {
        sql("UPDATE ledger_entries SET idx = -1 WHERE idx = ?", a);
        sql("UPDATE ledger_entries SET idx = ? WHERE idx = ?", a, b);
        sql("UPDATE ledger_entries SET idx = ? WHERE idx = -1", b);
    }

    private static List<Long> entryIndexes(AuditReport report) {
        return report.problems().stream().map(Problem::index).filter(i -> i >= 0).distinct().toList();
    }

    private static List<Long> checkpointSizes(AuditReport report) {
        return report.problems().stream().filter(p -> p.index() < 0).map(Problem::checkpointSize).toList();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUntouchedLogIsIntact(Kind kind) throws Exception {
        open(kind);
        try {
            AuditReport report = log.audit(CHUNK);
            assertThat(report.problems()).isEmpty();
            assertThat(report.intact()).isTrue();
            assertThat(report.entries()).isEqualTo(SIZE);
            assertThat(report.checkpointsChecked()).isEqualTo(3);
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAlteredRecordIsReportedAtItsIndex(Kind kind) throws Exception {
        open(kind);
        try {
            byte[] forged = Records.sample("content-1021", 77).canonicalJson(); // same id, other content hash
            sql("UPDATE ledger_entries SET record = ? WHERE idx = ?", forged, 1021L);
            AuditReport report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(1021L);
            assertThat(report.problems().get(0).description()).contains("entry 1021", "altered");
            // The checkpoints before the entry still hold; those after it no longer match.
            assertThat(checkpointSizes(report)).containsExactly(1200L, (long) SIZE);
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRemovedEntryIsReportedAtItsIndex(Kind kind) throws Exception {
        open(kind);
        try {
            sql("DELETE FROM ledger_entries WHERE idx = ?", 2500L);
            AuditReport report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(2500L);
            assertThat(report.problems().get(0).description()).contains("missing");
            assertThat(checkpointSizes(report)).isEmpty(); // the stored leaf stands in; the tree is otherwise whole

            // Removed with its tree row, nothing stands in: the signed roots after it fail too.
            sql("DELETE FROM ledger_entries WHERE idx = ?", 700L);
            sql("DELETE FROM ledger_tree WHERE idx = ?", 700L);
            report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(700L, 2500L);
            assertThat(checkpointSizes(report)).containsExactly(1200L, (long) SIZE);
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reorderedEntriesAreBothReported(Kind kind) throws Exception {
        open(kind);
        try {
            swap(17, 2200);
            swap(4, 12); // rows alike in shape: only the tree pins them
            AuditReport report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(4L, 12L, 17L, 2200L);
            assertThat(report.problems().get(0).description()).contains("entry 4 ", "moved");
            assertThat(checkpointSizes(report)).containsExactly(100L, 1200L, (long) SIZE);
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void truncationAndForgedCheckpointsAreReported(Kind kind) throws Exception {
        open(kind);
        try {
            // Remove the newest entry and lower the head, as if it had never been logged.
            sql("DELETE FROM ledger_entries WHERE idx = ?", (long) SIZE - 1);
            sql("UPDATE ledger_head SET tree_size = ?", (long) SIZE - 1);
            // And rewrite an old checkpoint's note.
            sql("UPDATE ledger_checkpoints SET note = REPLACE(note, '\n100\n', '\n101\n') WHERE tree_size = 100");
            AuditReport report = log.audit(CHUNK);
            assertThat(report.entries()).isEqualTo(SIZE - 1);
            assertThat(checkpointSizes(report)).containsExactly(100L, (long) SIZE);
            assertThat(report.problems()).anySatisfy(p -> assertThat(p.description()).contains("entries were removed"));
            assertThat(report.problems()).anySatisfy(p -> assertThat(p.description()).contains("does not verify"));
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTamperedInteriorHashOrLookupColumnIsReported(Kind kind) throws Exception {
        open(kind);
        try {
            // Entry 87 completed the subtrees of levels 1..3: its tree row holds 4 hashes.
            byte[] row = new byte[4 * Hash.SIZE];
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT hashes FROM ledger_tree WHERE idx = 87");
                 var r = s.executeQuery()) {
                r.next();
                System.arraycopy(r.getBytes(1), 0, row, 0, 3 * Hash.SIZE); // level 3 (entries 80..87) zeroed
            }
            sql("UPDATE ledger_tree SET hashes = ? WHERE idx = ?", row, 87L);
            sql("UPDATE ledger_entries SET content_id = ? WHERE idx = ?", "someone-else", 2000L);
            sql("UPDATE ledger_entries SET sha256_key = 7 WHERE idx = ?", 2001L);
            AuditReport report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(87L, 2000L, 2001L);
            assertThat(report.problems().get(2).description()).contains("sha256_key");
            assertThat(report.problems().get(0).description()).contains("level 3", "80..87");
            assertThat(report.problems().get(1).description()).contains("content_id", "someone-else");
            assertThat(checkpointSizes(report)).isEmpty(); // the entries still hash to every signed root
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRecordThatIsNotCanonicalIsReported(Kind kind) throws Exception {
        open(kind);
        try {
            String json = new String(Records.sample(12).canonicalJson(), StandardCharsets.US_ASCII);
            sql("UPDATE ledger_entries SET record = ? WHERE idx = ?",
                    json.replace("{", "{ ").getBytes(StandardCharsets.US_ASCII), 12L);
            AuditReport report = log.audit(CHUNK);
            assertThat(entryIndexes(report)).containsExactly(12L);
            assertThat(report.problems().get(0).description()).contains("canonical");
        } finally {
            close();
        }
    }
}
