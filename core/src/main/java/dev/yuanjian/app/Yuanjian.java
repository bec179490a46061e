package dev.yuanjian.app;

import dev.yuanjian.label.Codecs;
import dev.yuanjian.ledger.JdbcTransparencyLog;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.pipeline.ContentIds;
import dev.yuanjian.pipeline.Labeller;
import dev.yuanjian.pipeline.PromptDigester;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import dev.yuanjian.store.SigningKey;
import dev.yuanjian.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * The product on one machine: data directory, database, keys, log, labeller and verifier, opened
 * together and closed together. Keys are created at first start in {@code <home>/keys/}, owner-only.
 */
public final class Yuanjian implements AutoCloseable {
    private final Home home;
    private final Settings settings;
    private final Database database;
    private final TransparencyLog log;
    private final Codecs codecs;
    private final Labeller labeller;
    private final Verifier verifier;

    private Yuanjian(Home home, Settings settings, Database database, TransparencyLog log, Codecs codecs,
                     Labeller labeller, Verifier verifier) {
        this.home = home;
        this.settings = settings;
        this.database = database;
        this.log = log;
        this.codecs = codecs;
        this.labeller = labeller;
        this.verifier = verifier;
    }

    /** Opens the product in {@code $YUANJIAN_HOME} as the environment configures it. */
    public static Yuanjian open(Map<String, String> env) throws IOException {
        Home home = Home.fromEnvironment(env).ensureExists();
        return open(home, Settings.load(home.resolve("config.yaml"), env), env);
    }

    public static Yuanjian open(Home home, Settings settings, Map<String, String> env) throws IOException {
        home.ensureExists();
        Path keys = home.resolve("keys");
        SigningKey logKey = SigningKey.loadOrCreate(keys.resolve("log.ed25519"));
        SigningKey labelKey = SigningKey.loadOrCreate(keys.resolve("label.ed25519"));
        PromptDigester prompts = new PromptDigester(loadOrCreateSecret(keys.resolve("prompt.key")));

        String url = settings.databaseUrl().isBlank() ? Database.h2Url(home) : settings.databaseUrl();
        Database database;
        try {
            database = settings.databaseUrl().isBlank()
                    ? Database.open(url, "sa", "")
                    : Database.open(url, env.get("YUANJIAN_DB_USER"), env.get("YUANJIAN_DB_PASSWORD"));
        } catch (RuntimeException e) {
            // Pool and migration failures arrive as unchecked exceptions; to a user they are one
            // thing: this database cannot be used as it stands.
            throw new IOException("cannot open the database " + url.replaceAll("password=[^;&]*", "password=***")
                    + ": " + rootMessage(e) + " (check YUANJIAN_DB_URL / database.url, or YUANJIAN_HOME)", e);
        }
        TransparencyLog log;
        try {
            log = new JdbcTransparencyLog(database, logKey, settings.logOrigin());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        Codecs codecs = Codecs.standard();
        Clock clock = Clock.systemUTC();
        Labeller labeller = new Labeller(codecs, log, labelKey, settings.producerCode(),
                new ContentIds(clock, new SecureRandom()), prompts, clock);
        Verifier verifier = new Verifier(codecs, log, labelKey.publicKey(), settings.producerCode(),
                settings.producerRegistered(), settings.explicit());
        return new Yuanjian(home, settings, database, log, codecs, labeller, verifier);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.lines().findFirst().orElse(message) + (root == e ? "" : " [" + e.getClass().getSimpleName() + "]");
    }

    private static byte[] loadOrCreateSecret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            try {
                Home.createAtomically(file, secret);
                return secret;
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        byte[] secret = Files.readAllBytes(file);
        if (secret.length != 32) {
            throw new IOException("key file " + file + " must hold 32 bytes; it holds " + secret.length);
        }
        return secret;
    }

    public Home home() {
        return home;
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public TransparencyLog log() {
        return log;
    }

    public Codecs codecs() {
        return codecs;
    }

    public Labeller labeller() {
        return labeller;
    }

    public Verifier verifier() {
        return verifier;
    }

    @Override
    public void close() {
        try {
            log.close();
        } finally {
            database.close();
        }
    }
}
