package dev.yuanjian.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.testing.ExternalTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second local user gets nothing: while a product is open on its data directory (the embedded
 * database's AUTO_SERVER listening), user {@code nobody} can neither list nor read the directory's
 * files (database, lock file, keys) nor connect to the database port, even knowing the port and the
 * server key from the lock file. The same probe run as the owner, with the real password, reaches
 * all of it: what stops nobody is the product's protection, not a broken probe.
 *
 * <p>Needs root (to act as nobody; CI runs as root) and {@code setpriv} (Debian util-linux).
 */
class SecondLocalUserTest {
    private static final String NOBODY = "65534";
    /** Lists (2), reads (3), connections (2): see SecondUserProbe. */
    private static final int ATTEMPTS = 7;
    private Path root;

    @BeforeEach
    void requireRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) {
            // Not a missing tool: only root can act as another user, so even requireTools skips here.
            String why = "runs as root only (to try the data directory as user nobody); running as uid " + uid;
            System.err.println("SKIPPED (not root): " + why);
            Assumptions.abort(why);
        }
        // Under /tmp (world-traversable), not the build directory, whose parents nobody may not enter.
        root = Files.createTempDirectory(Path.of("/tmp"), "yuanjian-second-user-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void clean() throws IOException {
        if (root != null) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void nobodyReachesNeitherTheFilesNorTheDatabasePort() throws Exception {
        Path setpriv = ExternalTools.require("setpriv", "util-linux", "/usr/bin/setpriv");
        Path home = root.resolve("home");
        try (Yuanjian app = Yuanjian.open(new Home(home), Settings.defaults(), Map.of())) {
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve("yuanjian.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server", "");
            assertThat(server).as("the AUTO_SERVER is listening").matches("(localhost|127\\.0\\.0\\.1):\\d+");
            String port = server.substring(server.indexOf(':') + 1);
            String key = lock.getProperty("id");
            String password = HexFormat.of().formatHex(Files.readAllBytes(home.resolve("keys/db.secret")));
            Path probe = probeDirectory();

            List<String> owner = run(List.of(), probe, home, port, key, password);
            assertThat(owner).as("the owner's control run").filteredOn(line -> line.startsWith("REACHED")).hasSize(ATTEMPTS);

            List<String> nobody = run(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "--"), probe, home, port, key, "");
            assertThat(nobody).as("every attempt as nobody").hasSize(ATTEMPTS).allMatch(line -> line.startsWith("refused "));
        }
    }

    /** A world-readable directory with the probe's source and the H2 driver, which nobody can read. */
    private Path probeDirectory() throws Exception {
        Path dir = Files.createDirectory(root.resolve("probe"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream source = getClass().getResourceAsStream("SecondUserProbe.java")) {
            Files.copy(source, dir.resolve("SecondUserProbe.java"));
        }
        Path h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(h2, dir.resolve("h2.jar"), StandardCopyOption.REPLACE_EXISTING);
        for (String file : List.of("SecondUserProbe.java", "h2.jar")) {
            Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        return dir;
    }

    /** Runs the probe with this JDK, prefixed by {@code as} (empty: as this user); its output lines. */
    private static List<String> run(List<String> as, Path probe, Path home, String port, String key, String password)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(as);
        command.addAll(List.of(java, "-cp", probe.resolve("h2.jar").toString(),
                probe.resolve("SecondUserProbe.java").toString(), home.toString(), port, key, password));
        Process process = new ProcessBuilder(command).directory(probe.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.startsWith("REACHED ") || line.startsWith("refused ")).toList();
    }
}
