package dev.yuanjian.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.c2pa.CredentialSource;
import dev.yuanjian.c2pa.TimeStamper;
import dev.yuanjian.container.Containers;
import dev.yuanjian.container.DocxContainer;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.MarkdownContainer;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.container.TextContainer;
import dev.yuanjian.container.WebpContainer;
import dev.yuanjian.gateway.ExplicitLabelFilter;
import dev.yuanjian.gateway.Gateway;
import java.util.Optional;
import dev.yuanjian.privacy.Conversations;
import dev.yuanjian.gateway.Caller;
import dev.yuanjian.gateway.PersonalDataRestorer;
import dev.yuanjian.gateway.PersonalDataFilter;
import dev.yuanjian.gateway.RequestFilter;
import dev.yuanjian.gateway.ResponseFilter;
import dev.yuanjian.keys.ApiKeys;
import dev.yuanjian.keys.Gatekeeper;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.ledger.JdbcTransparencyLog;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.mark.Marks;
import dev.yuanjian.watermark.WatermarkKeys;
import dev.yuanjian.watermark.WatermarkMark;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.OllamaProbe;
import dev.yuanjian.pipeline.ContentIds;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.pipeline.PromptDigester;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Operators;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.privacy.Recognizer;
import dev.yuanjian.privacy.names.Names;
import dev.yuanjian.privacy.rules.Rules;
import dev.yuanjian.privacy.MaskingRefused;
import dev.yuanjian.privacy.vault.Vault;
import dev.yuanjian.privacy.vault.VaultKey;
import dev.yuanjian.render.PdfPainter;
import dev.yuanjian.render.RasterPainter;
import dev.yuanjian.render.TextPainter;
import dev.yuanjian.store.Database;
import dev.yuanjian.store.Home;
import dev.yuanjian.store.Secrets;
import dev.yuanjian.store.SigningKey;
import dev.yuanjian.verify.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The composition root: the product on one machine, built once from one parsed configuration and
 * closed together. Server handlers and CLI commands receive the objects they use from here; nothing
 * else constructs a pipeline, a verifier, a gateway or key checks.
 *
 * <p>What it builds, in order: data directory, keys (created at first start in {@code <home>/keys/},
 * owner-only), database, log; the containers, painters and marks (visible label, GB 45438 implicit
 * label, then any {@link Extension}'s); the pipeline and the verifier over them; API keys and the
 * gatekeeper; the analyzer of personal data over the built-in recognizers and the extensions'; and, on
 * first use, the pseudonymizer with its keys ({@code keys/privacy.key}), the encrypted vault
 * ({@code keys/vault.key}), the model configuration (probing for a local Ollama) and the gateway
 * with its filters (masking personal data before any backend call and restoring it first in each
 * answer, unless {@code privacy.gateway} is false; the visible label; then the extensions'), so that commands that never
 * generate do not pay for an HTTP client: the probe alone was a quarter of a one-file verify.
 */
public final class Yuanjian implements AutoCloseable {
    /** This product's version, as manifests and reports name it. */
    public static final String VERSION = "0.1.0";

    private final Home home;
    private final Settings settings;
    private final Supplier<ModelConfig> models;
    private final Database database;
    private final TransparencyLog log;
    private final Pipeline pipeline;
    private final Verifier verifier;
    private final Gatekeeper gatekeeper;
    private final List<RequestFilter> requestFilters;
    private final List<ResponseFilter> responseFilters;
    private final PrivacyConfig privacy;
    private final Analyzer analyzer;
    /** {@code YUANJIAN_VAULT_KEY} when set: the only variable the vault reads. */
    private final Map<String, String> vaultEnv;
    private Gateway gateway;
    private Pseudonymizer pseudonymizer;
    private Vault vault;

    private Yuanjian(Home home, Settings settings, Supplier<ModelConfig> models, Database database, TransparencyLog log,
                     Pipeline pipeline, Verifier verifier, Gatekeeper gatekeeper, List<RequestFilter> requestFilters,
                     List<ResponseFilter> responseFilters, PrivacyConfig privacy, Analyzer analyzer,
                     Map<String, String> env) {
        this.home = home;
        this.settings = settings;
        this.models = models;
        this.database = database;
        this.log = log;
        this.pipeline = pipeline;
        this.verifier = verifier;
        this.gatekeeper = gatekeeper;
        this.requestFilters = requestFilters;
        this.responseFilters = responseFilters;
        this.privacy = privacy;
        this.analyzer = analyzer;
        String vaultKey = env.get(VaultKey.VARIABLE);
        this.vaultEnv = vaultKey == null ? Map.of() : Map.of(VaultKey.VARIABLE, vaultKey);
    }

    /** Opens the product in {@code $YUANJIAN_HOME} as its config.yaml and the environment configure it. */
    public static Yuanjian open(Map<String, String> env) throws IOException {
        return open(env, installedExtensions());
    }

    /** As {@link #open(Map)}, with these extensions instead of the installed ones. */
    public static Yuanjian open(Map<String, String> env, List<Extension> extensions) throws IOException {
        return open(env, extensions, Access.READ_WRITE);
    }

    /**
     * As {@link #open(Map, List)} for commands that only read (verify, log audits and proofs): on a
     * data directory that holds no database yet it creates nothing (no directory, keys or database
     * file) and answers from an empty log in memory, signed by throwaway keys, since nothing here can
     * have labelled a file. With a database, the same as {@link #open(Map, List)}.
     */
    public static Yuanjian openForReading(Map<String, String> env, List<Extension> extensions) throws IOException {
        return open(env, extensions, Access.READ);
    }

    private static Yuanjian open(Map<String, String> env, List<Extension> extensions, Access access) throws IOException {
        Home home = Home.fromEnvironment(env);
        if (access == Access.READ_WRITE || Files.isDirectory(home.dir())) {
            home.ensureExists(); // refuses another account's directory before its config.yaml is read
        }
        Path file = home.resolve("config.yaml");
        JsonNode root = Settings.readYaml(file);
        Settings settings = Settings.parse(root, env, file);
        Supplier<ModelConfig> models = () -> {
            try {
                return ModelConfig.parse(root, env, OllamaProbe.fromEnvironment(env));
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("invalid model configuration (" + file
                        + " and YUANJIAN_* variables): " + e.getMessage(), e));
            }
        };
        return open(home, settings, models, c2pa(root, env, home, file), privacy(root, env, file), extensions, env, access);
    }

    private static PrivacyConfig privacy(JsonNode root, Map<String, String> env, Path file) throws IOException {
        try {
            return PrivacyConfig.parse(root, env);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid configuration (" + file + " and YUANJIAN_* variables): " + e.getMessage(), e);
        }
    }

    private static C2paConfig c2pa(JsonNode root, Map<String, String> env, Home home, Path file) throws IOException {
        try {
            return C2paConfig.parse(root, env, home.dir());
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid configuration (" + file + " and YUANJIAN_* variables): " + e.getMessage(), e);
        }
    }

    /**
     * With settings built by the caller (tests, benchmarks): models from the environment's
     * {@code YUANJIAN_*} variables only, no extensions.
     */
    public static Yuanjian open(Home home, Settings settings, Map<String, String> env) throws IOException {
        return open(home, settings, () -> ModelConfig.parse(JsonViews.mapper().createObjectNode(), env,
                OllamaProbe.fromEnvironment(env)), c2pa(JsonViews.mapper().createObjectNode(), env, home,
                home.resolve("config.yaml")), privacy(JsonViews.mapper().createObjectNode(), env,
                home.resolve("config.yaml")), List.of(), env, Access.READ_WRITE);
    }

    /**
     * The full form: every part given.
     *
     * @param env read for {@code YUANJIAN_DB_USER}, {@code YUANJIAN_DB_PASSWORD}, {@code YUANJIAN_VAULT_KEY} and
     *            {@code YUANJIAN_PRIVACY_VAULT_TTL_HOURS} only
     */
    public static Yuanjian open(Home home, Settings settings, ModelConfig models, List<Extension> extensions,
                                Map<String, String> env) throws IOException {
        return open(home, settings, () -> models, c2pa(JsonViews.mapper().createObjectNode(), env, home,
                home.resolve("config.yaml")), privacy(JsonViews.mapper().createObjectNode(), env,
                home.resolve("config.yaml")), extensions, env, Access.READ_WRITE);
    }

    /**
     * What a command may change in the data directory. {@code READ} on an embedded database that does
     * not exist yet uses an empty in-memory one and throwaway keys instead of creating them.
     */
    private enum Access { READ_WRITE, READ }

    private static Yuanjian open(Home home, Settings settings, Supplier<ModelConfig> models, C2paConfig c2pa,
                                 PrivacyConfig privacy, List<Extension> extensions, Map<String, String> env, Access access) throws IOException {
        boolean embedded = settings.databaseUrl().isBlank();
        boolean nothingStored = access == Access.READ && embedded && !Files.exists(Database.h2File(home));
        SigningKey logKey;
        SigningKey labelKey;
        PromptDigester prompts;
        if (nothingStored) {
            // No log here, so no seal or checkpoint of this home exists for these keys to check:
            // keys made for this run only give the verdicts that new keys would, and leave no file.
            logKey = SigningKey.generate();
            labelKey = SigningKey.generate();
            byte[] promptKey = new byte[32];
            new SecureRandom().nextBytes(promptKey);
            prompts = new PromptDigester(promptKey);
        } else {
            home.ensureExists();
            Path keys = home.resolve("keys");
            logKey = SigningKey.loadOrCreate(keys.resolve("log.ed25519"));
            labelKey = SigningKey.loadOrCreate(keys.resolve("label.ed25519"));
            prompts = new PromptDigester(Secrets.loadOrCreate(keys.resolve("prompt.key")));
        }

        String url = embedded ? Database.h2Url(home) : settings.databaseUrl();
        Database database;
        try {
            database = nothingStored ? Database.openInMemory()
                    : embedded && access == Access.READ ? Database.openEmbeddedForReading(home)
                    : embedded ? Database.openEmbedded(home)
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
        Containers containers = new Containers(List.of(new MarkdownContainer(), new DocxContainer(), new PdfContainer(),
                new PngContainer(), new JpegContainer(), new WebpContainer(), new TextContainer()));
        ImplicitLabelMark implicit = new ImplicitLabelMark(settings.producerCode(), settings.producerRegistered(),
                labelKey, log);
        List<Mark> marks = new ArrayList<>(List.of(
                new ExplicitLabelMark(settings.explicit(), List.of(new TextPainter(), new RasterPainter(), new PdfPainter())),
                new WatermarkMark(WatermarkKeys.file(home.resolve("keys").resolve("watermark.key"),
                        access == Access.READ_WRITE && !nothingStored)),
                implicit, contentCredentials(home, settings, c2pa, access, nothingStored)));
        List<RequestFilter> requestFilters = new ArrayList<>();
        List<ResponseFilter> responseFilters = new ArrayList<>();
        Extension.Context context = new Extension.Context(settings, home);
        List<Recognizer> recognizers = new ArrayList<>(recognizers());
        for (Extension extension : extensions) {
            recognizers.addAll(extension.recognizers(context));
            marks.addAll(extension.marks(context));
            requestFilters.addAll(extension.requestFilters(context));
            responseFilters.addAll(extension.responseFilters(context));
        }
        Marks markSet = new Marks(marks);
        Clock clock = Clock.systemUTC();
        Pipeline pipeline = new Pipeline(containers, markSet, implicit, log, labelKey, settings.producerCode(),
                new ContentIds(clock, new SecureRandom()), prompts, clock);
        Verifier verifier = new Verifier(containers, markSet, log);
        Gatekeeper gatekeeper = new Gatekeeper(new ApiKeys(database.dataSource(), clock));
        return new Yuanjian(home, settings, models, database, log, pipeline, verifier, gatekeeper,
                List.copyOf(requestFilters), List.copyOf(responseFilters), privacy, new Analyzer(recognizers), env);
    }

    /**
     * The built-in recognizers of personal data, in the order they run: the one list to extend
     * (extensions' recognizers run after these).
     */
    static List<Recognizer> recognizers() {
        // Names load HanLP's dictionaries (about a second) on their first text, not here: commands
        // that never look for personal data never pay for them.
        List<Recognizer> all = new ArrayList<>(Rules.all());
        all.addAll(Names.defaults());
        return List.copyOf(all);
    }

    /**
     * The C2PA mark. Its development chain lives in {@code keys/c2pa.pem}, made at the first
     * labelling; read-only use loads only the trust anchor from it and creates nothing. The
     * deployment's trust list and Time-Stamp Authority, if configured, come from {@code c2pa}.
     */
    private static C2paMark contentCredentials(Home home, Settings settings, C2paConfig c2pa, Access access,
                                               boolean nothingStored) {
        CredentialSource credentials = CredentialSource.file(home.resolve("keys").resolve("c2pa.pem"),
                settings.producerCode(), access == Access.READ_WRITE && !nothingStored);
        if (c2pa.trustAnchors().isPresent() || c2pa.timeStampTrustAnchors().isPresent()) {
            credentials = credentials.trusting(c2pa.trustAnchors(), c2pa.timeStampTrustAnchors());
        }
        return new C2paMark(credentials, ImplicitLabelMark.AIGC, VERSION, Clock.systemUTC(),
                c2pa.timeStampAuthority().map(url -> new TimeStamper(url, c2pa.timeStampTimeout())));
    }

    /** The extensions installed on the class path ({@code META-INF/services/dev.yuanjian.app.Extension}). */
    public static List<Extension> installedExtensions() {
        return ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.lines().findFirst().orElse(message) + (root == e ? "" : " [" + e.getClass().getSimpleName() + "]");
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

    public Pipeline pipeline() {
        return pipeline;
    }

    public Verifier verifier() {
        return verifier;
    }

    /** API keys and their limits, shared by every route and command. */
    public Gatekeeper gatekeeper() {
        return gatekeeper;
    }

    public ApiKeys apiKeys() {
        return gatekeeper.keys();
    }

    /**
     * The gateway over the configured models, built on first use and closed with the product.
     *
     * @throws UncheckedIOException (of an IOException) when the model configuration is invalid
     */
    public synchronized Gateway gateway() {
        if (gateway == null) {
            ModelConfig models = this.models.get();
            List<ResponseFilter> filters = new ArrayList<>();
            List<RequestFilter> requests = new ArrayList<>(requestFilters);
            if (privacy.gateway()) {
                // Restoring before the label: it must read the model's own text, and the label the restored one.
                filters.add(new PersonalDataRestorer());
                // Masking last: whatever an extension's filter adds to a request is masked too.
                requests.add(personalData());
            }
            filters.add(new ExplicitLabelFilter(settings.explicit(), models.explicitText()));
            filters.addAll(responseFilters);
            gateway = new Gateway(models, pipeline, requests, filters, JsonViews.mapper());
        }
        return gateway;
    }

    /**
     * The gateway's masking: this installation's pseudonymizer, each caller's policy, and the vault
     * for requests that name a conversation (opened when the first one does).
     */
    private PersonalDataFilter personalData() {
        return new PersonalDataFilter(pseudonymizer(), Optional.of(conversations()), JsonViews.mapper(),
                caller -> privacy.policies().forCaller(
                        caller.owner().equals(Caller.LOCAL) ? Optional.empty() : Optional.of(caller.owner()),
                        caller.keyName()));
    }

    /**
     * The vault's conversations for servers: opening one when the vault key is missing or wrong
     * throws {@link MaskingRefused} ({@code VAULT_UNAVAILABLE}, answered 503) naming the remedy,
     * rather than a failure with a stack trace.
     */
    public Conversations conversations() {
        return (owner, conversation) -> {
            Vault opened;
            try {
                opened = vault();
            } catch (UncheckedIOException e) {
                throw new MaskingRefused(MaskingRefused.Reason.VAULT_UNAVAILABLE, "conversations are unavailable: "
                        + "the server's vault key (keys/vault.key or " + VaultKey.VARIABLE + ") is missing or is not "
                        + "the key of its vault; the operator must restore the original key (the server's log says "
                        + "more), or send the request without a conversation");
            }
            return opened.open(owner, conversation);
        };
    }

    /**
     * Why the vault cannot be opened, if it cannot: its key file is missing (and no {@code
     * YUANJIAN_VAULT_KEY} is set) while the database holds a vault. Creates nothing; for a message
     * at server start.
     */
    public Optional<String> vaultKeyProblem() {
        try {
            return VaultKey.missing(home.resolve("keys").resolve("vault.key"), vaultEnv, database.dataSource());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The analyzer over every recognizer (built-in, then the extensions'). */
    public Analyzer analyzer() {
        return analyzer;
    }

    /** The privacy policies and the vault's time-to-live from config.yaml. */
    public PrivacyConfig privacy() {
        return privacy;
    }

    /**
     * The pseudonymizer with this installation's operator keys ({@code keys/privacy.key}, created
     * owner-only on first use).
     *
     * @throws UncheckedIOException when the key file cannot be read or written
     */
    public synchronized Pseudonymizer pseudonymizer() {
        if (pseudonymizer == null) {
            try {
                pseudonymizer = new Pseudonymizer(analyzer,
                        new Operators(Secrets.loadOrCreate(home.resolve("keys").resolve("privacy.key"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pseudonymizer;
    }

    /**
     * The encrypted vault of conversations, on the product's database, opened on first use with the
     * vault key ({@code YUANJIAN_VAULT_KEY} or {@code keys/vault.key}, created on first use).
     *
     * @throws UncheckedIOException when the key is missing for an existing vault, wrong, or unreadable
     */
    public synchronized Vault vault() {
        if (vault == null) {
            try {
                byte[] key = VaultKey.load(home.resolve("keys").resolve("vault.key"), vaultEnv, database.dataSource());
                vault = new Vault(database.dataSource(), !database.isPostgres(), key, privacy.vaultTtl(), Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vault;
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (gateway != null) {
                    gateway.close();
                }
            }
            log.close();
        } finally {
            database.close();
        }
    }
}
