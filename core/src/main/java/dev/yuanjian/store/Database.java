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
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final boolean postgres;

    private Database(HikariDataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.postgres = postgres;
    }

    /** The embedded default: {@code <home>/yuanjian.mv.db}. */
    public static String h2Url(Home home) {
        return "jdbc:h2:file:" + home.resolve("yuanjian").toString()
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
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

    /** Opens the database the environment asks for: {@code YUANJIAN_DB_URL} or the H2 default. */
    public static Database fromEnvironment(Home home, java.util.Map<String, String> env) {
        String url = env.get("YUANJIAN_DB_URL");
        if (url == null || url.isBlank()) {
            home.ensureExists();
            return open(h2Url(home), "sa", "");
        }
        return open(url, env.get("YUANJIAN_DB_USER"), env.get("YUANJIAN_DB_PASSWORD"));
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
