package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations run when the schema is behind and only then: {@link Database#SCHEMA_VERSION} names the
 * newest migration file, a current database is used as it is, one that is behind is brought up to date.
 */
class SchemaVersionTest {
    @TempDir
    Path dir;

    @Test
    void schemaVersionIsTheNewestMigrationFile() throws Exception {
        Path migrations = Path.of(getClass().getClassLoader().getResource("db/migration").toURI());
        Pattern name = Pattern.compile("V(\\d+)__.+\\.sql");
        int newest;
        try (Stream<Path> files = Files.list(migrations)) {
            newest = files.map(p -> name.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(Database.SCHEMA_VERSION).as("raise Database.SCHEMA_VERSION with each migration").isEqualTo(newest);
    }

    @Test
    void aCurrentDatabaseIsNotMigratedAgain() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        Database.open(url, "sa", "sa").close();
        // Flyway's validation would refuse a history whose checksums no longer match the files:
        // opening succeeds only because Flyway does not run on a current schema.
        try (Connection c = DriverManager.getConnection(url, "sa", "sa"); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1");
        }
        try (Database db = Database.open(url, "sa", "sa")) {
            assertThat(Database.appliedVersion(db.dataSource())).isEqualTo(Database.SCHEMA_VERSION);
        }
    }

    @Test
    void aDatabaseBehindIsMigrated() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db");
        Database.open(url, "sa", "sa").close();
        try (Connection c = DriverManager.getConnection(url, "sa", "sa"); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + Database.SCHEMA_VERSION + "'");
            for (String table : newestTables()) {
                st.executeUpdate("DROP TABLE " + table);
            }
        }
        try (Database db = Database.open(url, "sa", "sa"); Connection c = db.dataSource().getConnection();
             Statement st = c.createStatement()) {
            assertThat(Database.appliedVersion(db.dataSource())).isEqualTo(Database.SCHEMA_VERSION);
            for (String table : newestTables()) {
                st.executeQuery("SELECT COUNT(*) FROM " + table).close();
            }
        }
    }

    /** The tables the newest migration creates, which a database one version behind lacks. */
    private java.util.List<String> newestTables() throws Exception {
        Path migrations = Path.of(getClass().getClassLoader().getResource("db/migration").toURI());
        try (Stream<Path> files = Files.list(migrations)) {
            Path newest = files.filter(p -> p.getFileName().toString().startsWith("V" + Database.SCHEMA_VERSION + "__"))
                    .findFirst().orElseThrow();
            Matcher m = Pattern.compile("CREATE TABLE (\\w+)").matcher(Files.readString(newest));
            java.util.List<String> tables = new java.util.ArrayList<>();
            while (m.find()) {
                tables.add(m.group(1));
            }
            assertThat(tables).as("the newest migration creates a table").isNotEmpty();
            return tables;
        }
    }
}
