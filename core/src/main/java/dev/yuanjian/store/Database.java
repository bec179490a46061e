package dev.yuanjian.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database: an H2 file in the data directory by default, or any PostgreSQL given by a JDBC URL
 * ({@code YUANJIAN_DB_URL}). Both run the same Flyway migrations from {@code db/migration}.
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

    /**
     * Opens the pool and migrates the schema to the newest version.
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
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
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
        String secret = java.util.HexFormat.of().formatHex(Secrets.loadOrCreate(home.resolve("keys").resolve("db.secret")));
        String url = h2Url(home);
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
