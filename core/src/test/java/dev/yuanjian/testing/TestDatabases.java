package dev.yuanjian.testing;

import dev.yuanjian.store.Database;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh databases for tests: an H2 file in a temporary directory, or a fresh schema in the
 * PostgreSQL named by {@code YUANJIAN_TEST_PG_URL} (e.g. {@code jdbc:postgresql://localhost/yuanjian},
 * user and password in {@code YUANJIAN_TEST_PG_USER} / {@code YUANJIAN_TEST_PG_PASSWORD}).
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public enum Kind { H2, POSTGRES }

    public static Database open(Kind kind, Path tempDir) throws Exception {
        return switch (kind) {
            case H2 -> Database.open("jdbc:h2:file:" + tempDir.resolve("test") + ";WRITE_DELAY=0", "sa", "");
            case POSTGRES -> openPostgres();
        };
    }

    private static Database openPostgres() throws Exception {
        String url = System.getenv("YUANJIAN_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            ExternalTools.missing("PostgreSQL tests need YUANJIAN_TEST_PG_URL (a database they may create schemas in); "
                    + "install it with: apt-get install postgresql (.ci/run sets it up)");
        }
        String user = System.getenv().getOrDefault("YUANJIAN_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("YUANJIAN_TEST_PG_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (var connection = DriverManager.getConnection(url, user, password);
             var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        String separator = url.contains("?") ? "&" : "?";
        return Database.open(url + separator + "currentSchema=" + schema, user, password);
    }
}
