import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

/**
 * What another local account tries against a running product's data directory. Run by
 * SecondLocalUserTest as user nobody (and, as a control, as the owner). Prints one line per
 * attempt: "REACHED what" or "refused what: why".
 *
 * Arguments: home directory, AUTO_SERVER port, AUTO_SERVER key (from the lock file), password.
 */
public class SecondUserProbe {
    interface Attempt {
        void run() throws Exception;
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String port = args[1];
        String key = args[2];
        String password = args[3];
        attempt("list the data directory", () -> {
            try (var files = Files.list(home)) {
                files.count();
            }
        });
        attempt("list keys/", () -> {
            try (var files = Files.list(home.resolve("keys"))) {
                files.count();
            }
        });
        for (String file : List.of("yuanjian.mv.db", "yuanjian.lock.db", "keys/db.secret")) {
            attempt("read " + file, () -> Files.readAllBytes(home.resolve(file)));
        }
        // The AUTO_SERVER's TCP port names the database by its key; a second process of the owner
        // finds port and key in the lock file (the file URL).
        for (String url : List.of("jdbc:h2:tcp://127.0.0.1:" + port + "/" + key,
                "jdbc:h2:file:" + home.resolve("yuanjian") + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE")) {
            attempt("connect " + url, () -> DriverManager.getConnection(url, "sa", password).close());
        }
    }

    private static void attempt(String what, Attempt attempt) {
        try {
            attempt.run();
            System.out.println("REACHED " + what);
        } catch (Exception e) {
            System.out.println("refused " + what + ": " + String.valueOf(e).replace('\n', ' '));
        }
    }
}
