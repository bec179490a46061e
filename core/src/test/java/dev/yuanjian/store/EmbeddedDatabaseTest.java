package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another local account could reach: the data directory is owner-only whoever made it, the
 * embedded database refuses the empty password that earlier versions used (and is moved off it),
 * and the database's AUTO_SERVER listens on loopback only.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aHomeTheUserCreatedOpenIsClosedToOthers() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x")); // whatever the umask
        try (Yuanjian app = Yuanjian.open(new Home(home), Settings.defaults(), Map.of())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys/db.secret"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void documentsFollowTheUmaskWhileKeysStayOwnerOnly() throws Exception {
        Path doc = dir.resolve("out.md");
        Home.writeAtomically(doc, new byte[] {'x'}, false);
        Path probe = Files.createFile(dir.resolve("probe")); // what the umask gives a new file here
        assertThat(Files.getPosixFilePermissions(doc)).isEqualTo(Files.getPosixFilePermissions(probe));
        Path key = dir.resolve("k");
        Home.writeAtomically(key, new byte[] {'k'}, true);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void theEmbeddedDatabaseHasAGeneratedPasswordAndListensOnLoopbackOnly() throws Exception {
        Home home = new Home(dir.resolve("home")).ensureExists();
        try (Database db = Database.openEmbedded(home)) {
            assertThatThrownBy(() -> DriverManager.getConnection(Database.h2Url(home), "sa", "").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
            // The lock file names the address a second process (or anyone) would connect to.
            Properties lock = new Properties();
            try (var in = Files.newInputStream(home.resolve("yuanjian.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server", "");
            assertThat(server).matches("(localhost|127\\.0\\.0\\.1):\\d+");
            int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
            // This machine's own non-loopback addresses: the database port must not answer there.
            for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (var address : java.util.Collections.list(nif.getInetAddresses())) {
                    if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
                        continue;
                    }
                    try (var socket = new java.net.Socket()) {
                        assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(address, port), 1000))
                                .as("database port reachable on " + address).isInstanceOf(java.io.IOException.class);
                    }
                }
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aDatabaseOfAnEarlierVersionIsMovedOffTheEmptyPassword() throws Exception {
        Home home = new Home(dir.resolve("old")).ensureExists();
        Database.open(Database.h2Url(home), "sa", "").close(); // as versions before the secret made it

        try (Database db = Database.openEmbedded(home)) {
            assertThat(db.dataSource().getConnection().isValid(1)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(Database.h2Url(home), "sa", "").close())
                .isInstanceOf(SQLException.class);
    }
}
