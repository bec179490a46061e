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
    private static final int SIZE = 9000; // more than one audit chunk (8192)

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
            if (i == 99 || i == 4999) {
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
            AuditReport report = log.audit();
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
            byte[] forged = Records.sample("content-4321", 77).canonicalJson(); // same id, other content hash
            sql("UPDATE ledger_entries SET record = ? WHERE idx = ?", forged, 4321L);
            AuditReport report = log.audit();
            assertThat(entryIndexes(report)).containsExactly(4321L);
            assertThat(report.problems().get(0).description()).contains("entry 4321", "altered");
            // The checkpoints before the entry still hold; those after it no longer match.
            assertThat(checkpointSizes(report)).containsExactly(5000L, (long) SIZE);
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRemovedEntryIsReportedAtItsIndex(Kind kind) throws Exception {
        open(kind);
        try {
            sql("DELETE FROM ledger_entries WHERE idx = ?", 8500L);
            AuditReport report = log.audit();
            assertThat(entryIndexes(report)).containsExactly(8500L);
            assertThat(report.problems().get(0).description()).contains("missing");
            assertThat(checkpointSizes(report)).isEmpty(); // the stored leaf stands in; the tree is otherwise whole
        } finally {
            close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reorderedEntriesAreBothReported(Kind kind) throws Exception {
        open(kind);
        try {
            sql("UPDATE ledger_entries SET idx = -1 WHERE idx = ?", 17L);
            sql("UPDATE ledger_entries SET idx = 17 WHERE idx = ?", 8200L);
            sql("UPDATE ledger_entries SET idx = 8200 WHERE idx = -1");
            AuditReport report = log.audit();
            assertThat(entryIndexes(report)).containsExactly(17L, 8200L);
            assertThat(checkpointSizes(report)).containsExactly(100L, 5000L, (long) SIZE);
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
            AuditReport report = log.audit();
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
            long stored = Tlog.storedHashIndex(3, 10); // entries 80..87, written with entry 87
            sql("UPDATE ledger_hashes SET hash = ? WHERE idx = ?", new byte[32], stored);
            sql("UPDATE ledger_entries SET content_id = ? WHERE idx = ?", "someone-else", 3000L);
            AuditReport report = log.audit();
            assertThat(entryIndexes(report)).containsExactly(87L, 3000L);
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
            AuditReport report = log.audit();
            assertThat(entryIndexes(report)).containsExactly(12L);
            assertThat(report.problems().get(0).description()).contains("canonical");
        } finally {
            close();
        }
    }
}
