package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's page cache is the size the product chose, not H2's default, which grows
 * with the heap (64 MB per GB of -Xmx) and so made the server's memory follow the machine.
 */
class DatabaseCacheTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedDatabaseKeepsAFixedPageCacheWhateverTheHeap() throws Exception {
        Home home = new Home(dir.resolve("home")).ensureExists();
        try (Database db = Database.openEmbedded(home); Connection c = db.dataSource().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(Integer.parseInt(rs.getString(1))).isEqualTo(Database.H2_CACHE_KB);
        }
    }
}
