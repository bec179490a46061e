package dev.yuanjian.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database: an H2 file in the data directory by default, or any PostgreSQL given by a JDBC URL
 * ({@code YUANJIAN_DB_URL}). Both run the same Flyway migrations from {@code db/migration}, and only
 * when the schema is behind {@link #SCHEMA_VERSION}: a database already at the current version is
 * used as it is, so that a one-shot command does not pay for Flyway's scan and validation (about
 * 0.7 s of a 3 s {@code verify}; docs/benchmarks.md, Start-up).
 *
 * <p>The H2 file is opened with {@code AUTO_SERVER=TRUE} so that the CLI and a running server can
 * share it, and with {@code WRITE_DELAY=0} so that a committed transaction has reached the file
 * (the operating system) before commit returns: a killed process loses nothing it acknowledged.
 *
 * <p>The AUTO_SERVER mode lets a second process reach the file over TCP. That server listens on
 * loopback only ({@code h2.bindAddress}), and the embedded database ({@link #openEmbedded}) has a
 * generated password kept owner-only in the data directory, so neither another machine nor another
 * local account can connect.
 */
public final class Database implements AutoCloseable {
    static {
        // H2 reads its bind address once, from this system property, when its first class loads;
        // without it the AUTO_SERVER listens on every interface.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /**
     * The newest version among {@code db/migration/V<n>__*.sql}. Raise it with every new migration;
     * {@code SchemaVersionTest} fails while it disagrees with the files.
     */
    public static final int SCHEMA_VERSION = 3;

    private static final int WRONG_USER_OR_PASSWORD = 28000;

    private final HikariDataSource dataSource;
    private final boolean postgres;

    private Database(HikariDataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.postgres = postgres;
    }

    /**
     * H2's page cache in KB. Fixed, because H2's default grows with the heap (64 MB per GB of
     * {@code -Xmx}: 384 MB under the JVM's default heap on a 24 GB machine), which made the server's
     * memory follow the machine rather than the work; the log's appends and proofs touch recent
     * pages, which 16 MB holds (docs/benchmarks.md, "Gateway cost").
     */
    static final int H2_CACHE_KB = 16 * 1024;

    /** The embedded default: {@code <home>/yuanjian.mv.db}. */
    public static String h2Url(Home home) {
        return "jdbc:h2:file:" + home.resolve("yuanjian").toString()
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;CACHE_SIZE=" + H2_CACHE_KB;
    }

    /** The file of the embedded database of {@code home}; it exists once something has been stored there. */
    public static java.nio.file.Path h2File(Home home) {
        return home.resolve("yuanjian.mv.db");
    }

    /**
     * Opens the pool and migrates the schema to the newest version if it is behind.
     *
     * @param url a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
     */
    public static Database open(String url, String user, String password) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("unsupported database URL '" + url
                    + "': use jdbc:h2:... or jdbc:postgresql://host/db (YUANJIAN_DB_URL)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(postgres ? 10 : 6);
        config.setPoolName("yuanjian");
        config.setAutoCommit(true);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            if (appliedVersion(dataSource) < SCHEMA_VERSION) {
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, postgres);
    }

    /**
     * The embedded H2 database of {@code home}, with the password in {@code <home>/keys/db.secret}
     * (created at first use, owner-only). A database made before the password existed has the empty
     * password; it is given the secret on first open.
     *
     * @throws java.io.IOException when the secret cannot be read or written
     */
    public static Database openEmbedded(Home home) throws java.io.IOException {
        return openEmbedded(home, h2Url(home));
    }

    /**
     * As {@link #openEmbedded(Home)} for a command that only reads: the file is not compacted when this
     * process closes it. Compaction rewrites and syncs the file (about 0.2 s of wall time per exit);
     * a reader has at most added a checkpoint, and the next writer's close compacts as usual.
     */
    public static Database openEmbeddedForReading(Home home) throws java.io.IOException {
        return openEmbedded(home, h2Url(home) + ";MAX_COMPACT_TIME=0");
    }

    private static Database openEmbedded(Home home, String url) throws java.io.IOException {
        String secret = java.util.HexFormat.of().formatHex(Secrets.loadOrCreate(home.resolve("keys").resolve("db.secret")));
        try {
            return open(url, "sa", secret);
        } catch (RuntimeException e) {
            if (!wrongPassword(e)) {
                throw e;
            }
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER USER SA SET PASSWORD '" + secret + "'");
        } catch (java.sql.SQLException e) {
            throw new java.io.IOException("the database in " + home.dir() + " accepts neither its password (keys/db.secret) "
                    + "nor the empty one of earlier versions: " + e.getMessage(), e);
        }
        return open(url, "sa", secret);
    }

    /**
     * Rewrites the embedded database file of {@code home} whole ({@code SHUTDOWN COMPACT}) when no
     * process has it open, so that rows deleted since (a forgotten subject's key) are no longer
     * anywhere in it: H2 keeps deleted rows' bytes in unreferenced chunks of the file until it reuses
     * or compacts them. A file in use (its lock file exists: a running server) is left alone and
     * false returned; its owner compacts it when it closes.
     *
     * @return whether the file was compacted
     * @throws java.io.IOException when the secret cannot be read or the compaction fails
     */
    public static boolean compactIfUnused(Home home) throws java.io.IOException {
        if (!java.nio.file.Files.exists(h2File(home)) || java.nio.file.Files.exists(home.resolve("yuanjian.lock.db"))) {
            return false;
        }
        String secret = java.util.HexFormat.of().formatHex(Secrets.loadOrCreate(home.resolve("keys").resolve("db.secret")));
        // AUTO_SERVER off: should another process open the file meanwhile, this connection fails
        // rather than reaching (and shutting down) that process's database.
        String url = "jdbc:h2:file:" + home.resolve("yuanjian") + ";AUTO_SERVER=FALSE";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", secret);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
            return true;
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN: another process opened it meanwhile
                return false;
            }
            throw new java.io.IOException("cannot compact the database file " + h2File(home) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The highest version Flyway recorded as applied, or 0 when there is no history table yet (a new
     * database) or a version this check does not understand (then Flyway decides). Concurrent first
     * starts are safe: each sees 0 and Flyway's own lock serialises the migrations.
     */
    static int appliedVersion(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(
                     "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
            int newest = 0;
            while (rs.next()) {
                newest = Math.max(newest, Integer.parseInt(rs.getString(1)));
            }
            return newest;
        } catch (java.sql.SQLException | NumberFormatException noHistoryYet) {
            return 0;
        }
    }

    /**
     * An empty database in memory, migrated, gone when closed: what a read-only command uses where
     * nothing has been stored yet, so that reading never creates a database file.
     */
    public static Database openInMemory() {
        return open("jdbc:h2:mem:yuanjian-" + java.util.UUID.randomUUID(), "sa", "");
    }

    private static boolean wrongPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == WRONG_USER_OR_PASSWORD) {
                return true;
            }
        }
        return false;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return postgres;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
