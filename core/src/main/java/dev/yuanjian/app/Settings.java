package dev.yuanjian.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.yuanjian.label.ExplicitLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configuration: {@code $YUANJIAN_HOME/config.yaml} when present, then environment variables,
 * which win. Every key and its variable:
 *
 * <pre>
 * producer.code            YUANJIAN_PRODUCER_CODE   27-character service code (TC260 layout)
 * log.origin               YUANJIAN_LOG_ORIGIN      origin line of checkpoints
 * label.explicit.chinese   -                        visible label for Chinese text
 * label.explicit.english   -                        visible label for other text
 * label.explicit.position  -                        start | end
 * server.host              YUANJIAN_HOST            default 127.0.0.1
 * server.port              YUANJIAN_PORT            default 8080
 * server.maxUploadMb       YUANJIAN_MAX_UPLOAD_MB   default 64
 * server.publicVerify      YUANJIAN_PUBLIC_VERIFY   default true: anyone may verify; false: API keys need the verify scope
 * server.allowedHosts      YUANJIAN_ALLOWED_HOSTS   host names besides localhost the server answers to (list; comma-separated)
 * server.idleTimeoutSeconds      YUANJIAN_IDLE_TIMEOUT_SECONDS      default 30: a connection with no bytes either way is closed
 * server.headerTimeoutSeconds    YUANJIAN_HEADER_TIMEOUT_SECONDS    default 20: a request's head must arrive within this
 * server.minBodyBytesPerSecond   YUANJIAN_MIN_BODY_BYTES_PER_SECOND default 1024: slower bodies are cut (after the same head start)
 * database.url             YUANJIAN_DB_URL          default: H2 file in the data directory
 * privacy.*                (see PrivacyConfig)
 * </pre>
 */
public record Settings(String producerCode, String logOrigin, ExplicitLabel explicit, String host, int port,
                       long maxUploadBytes, String databaseUrl, boolean publicVerify, List<String> allowedHosts,
                       ClientLimits clients) {

    /**
     * How long and how slowly a client may take, so that slow or silent connections cannot hold the
     * server: {@code idle} without a byte either way closes a connection; a request's head (request
     * line and headers) must arrive within {@code head} of the connection opening or of the previous
     * answer on it; a body may take {@code head} plus one second per {@code minBodyBytesPerSecond}
     * bytes received (0 turns the body check off).
     */
    public record ClientLimits(Duration idle, Duration head, long minBodyBytesPerSecond) {
        public static final ClientLimits DEFAULTS = new ClientLimits(Duration.ofSeconds(30),
                Duration.ofSeconds(20), 1024);

        public ClientLimits {
            if (idle.isNegative() || idle.isZero() || head.isNegative() || head.isZero()) {
                throw new IllegalArgumentException("server.idleTimeoutSeconds and server.headerTimeoutSeconds must be "
                        + "at least 1, got " + idle.toSeconds() + " and " + head.toSeconds());
            }
            if (minBodyBytesPerSecond < 0) {
                throw new IllegalArgumentException("server.minBodyBytesPerSecond must be 0 (off) or more, got "
                        + minBodyBytesPerSecond);
            }
        }
    }

    /** Settings with the default client limits. */
    public Settings(String producerCode, String logOrigin, ExplicitLabel explicit, String host, int port,
                    long maxUploadBytes, String databaseUrl, boolean publicVerify, List<String> allowedHosts) {
        this(producerCode, logOrigin, explicit, host, port, maxUploadBytes, databaseUrl, publicVerify, allowedHosts,
                ClientLimits.DEFAULTS);
    }

    /** Settings that allow no host names besides this machine's. */
    public Settings(String producerCode, String logOrigin, ExplicitLabel explicit, String host, int port,
                    long maxUploadBytes, String databaseUrl, boolean publicVerify) {
        this(producerCode, logOrigin, explicit, host, port, maxUploadBytes, databaseUrl, publicVerify, List.of());
    }


    /**
     * Used until an operator sets a registered code. It has the right shape (27 digits and capitals)
     * so labels stay valid, and spells out that it is not a real code; verify says so in its notes.
     */
    public static final String PLACEHOLDER_PRODUCER = "00UNREGISTERED0000000000000";
    public static final String DEFAULT_ORIGIN = "yuanjian.local/log";

    private static final Pattern PRODUCER_CODE = Pattern.compile("[0-9A-Z]{27}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
    private static final Pattern ORIGIN = Pattern.compile("[\\x21-\\x7e]{1,200}");

    public Settings {
        if (!PRODUCER_CODE.matcher(producerCode).matches()) {
            throw new IllegalArgumentException("producer.code must be 27 digits or capital letters (TC260 layout, e.g. "
                    + "001191440300708461136T1XGW3), got '" + producerCode + "'");
        }
        if (!ORIGIN.matcher(logOrigin).matches()) {
            throw new IllegalArgumentException("log.origin must be printable ASCII without spaces, got '" + logOrigin + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server.port must be 0..65535, got " + port);
        }
        allowedHosts = List.copyOf(allowedHosts);
        if (clients == null) {
            throw new IllegalArgumentException("clients: use ClientLimits.DEFAULTS");
        }
        for (String h : allowedHosts) {
            if (!HOST_NAME.matcher(h).matches()) {
                throw new IllegalArgumentException("server.allowedHosts entries are host names without scheme or port, "
                        + "e.g. yuanjian.example.com; got '" + h + "'");
            }
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("server.maxUploadMb must be at least 1");
        }
    }

    public boolean producerRegistered() {
        return !producerCode.equals(PLACEHOLDER_PRODUCER);
    }

    public static Settings defaults() {
        return new Settings(PLACEHOLDER_PRODUCER, DEFAULT_ORIGIN, ExplicitLabel.DEFAULT, "127.0.0.1", 8080,
                64L << 20, "", true);
    }

    /** Reads {@code configFile} if it exists, then applies {@code env}. */
    public static Settings load(Path configFile, Map<String, String> env) throws IOException {
        return parse(readYaml(configFile), env, configFile);
    }

    /**
     * The mapping in {@code configFile}, or an empty mapping when the file does not exist: the one
     * place config.yaml is read.
     *
     * @throws IOException when the file cannot be read or is not a YAML mapping
     */
    public static JsonNode readYaml(Path configFile) throws IOException {
        JsonNode root = null;
        if (Files.exists(configFile)) {
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(configFile.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // The parser's own message names neither the file nor what to do about it.
                var where = e.getLocation();
                throw new IOException(configFile + (where != null ? ", line " + where.getLineNr() : "")
                        + ": not valid YAML (" + e.getOriginalMessage().lines().findFirst().orElse("syntax error")
                        + "); fix the file or move it aside to use the defaults", e);
            }
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode(); // no mapper needed for nothing to read
        }
        if (!root.isObject()) {
            throw new IOException(configFile + ": the configuration must be a YAML mapping");
        }
        return root;
    }

    /** Settings from the parsed {@code root} of {@code configFile} and the environment, which wins. */
    public static Settings parse(JsonNode root, Map<String, String> env, Path configFile) throws IOException {
        Settings d = defaults();
        try {
            String producer = pick(env, "YUANJIAN_PRODUCER_CODE", root.at("/producer/code"), d.producerCode());
            String origin = pick(env, "YUANJIAN_LOG_ORIGIN", root.at("/log/origin"), d.logOrigin());
            JsonNode explicitNode = root.at("/label/explicit");
            ExplicitLabel explicit = new ExplicitLabel(
                    text(explicitNode.path("chinese"), d.explicit().chinese()),
                    text(explicitNode.path("english"), d.explicit().english()),
                    ExplicitLabel.Position.valueOf(text(explicitNode.path("position"), "start").toUpperCase(Locale.ROOT)));
            String host = pick(env, "YUANJIAN_HOST", root.at("/server/host"), d.host());
            int port = Integer.parseInt(pick(env, "YUANJIAN_PORT", root.at("/server/port"), String.valueOf(d.port())));
            long maxMb = Long.parseLong(pick(env, "YUANJIAN_MAX_UPLOAD_MB", root.at("/server/maxUploadMb"), "64"));
            String dbUrl = pick(env, "YUANJIAN_DB_URL", root.at("/database/url"), "");
            boolean publicVerify = parseBoolean(pick(env, "YUANJIAN_PUBLIC_VERIFY", root.at("/server/publicVerify"), "true"),
                    "server.publicVerify");
            List<String> allowedHosts = new java.util.ArrayList<>();
            String fromEnv = env.get("YUANJIAN_ALLOWED_HOSTS");
            if (fromEnv != null && !fromEnv.isBlank()) {
                for (String h : fromEnv.split(",")) {
                    if (!h.isBlank()) {
                        allowedHosts.add(h.strip());
                    }
                }
            } else {
                root.at("/server/allowedHosts").forEach(n -> allowedHosts.add(n.asText().strip()));
            }
            ClientLimits clients = new ClientLimits(
                    Duration.ofSeconds(Long.parseLong(pick(env, "YUANJIAN_IDLE_TIMEOUT_SECONDS",
                            root.at("/server/idleTimeoutSeconds"), "" + ClientLimits.DEFAULTS.idle().toSeconds()))),
                    Duration.ofSeconds(Long.parseLong(pick(env, "YUANJIAN_HEADER_TIMEOUT_SECONDS",
                            root.at("/server/headerTimeoutSeconds"), "" + ClientLimits.DEFAULTS.head().toSeconds()))),
                    Long.parseLong(pick(env, "YUANJIAN_MIN_BODY_BYTES_PER_SECOND", root.at("/server/minBodyBytesPerSecond"),
                            "" + ClientLimits.DEFAULTS.minBodyBytesPerSecond())));
            return new Settings(producer, origin, explicit, host, port, maxMb << 20, dbUrl, publicVerify, allowedHosts,
                    clients);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid configuration (" + configFile + " and YUANJIAN_* variables): "
                    + e.getMessage(), e);
        }
    }


    private static String pick(Map<String, String> env, String variable, JsonNode node, String fallback) {
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        return text(node, fallback);
    }

    private static boolean parseBoolean(String value, String key) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        };
    }

    /** These settings with another port; tests and benchmarks bind port 0. */
    public Settings withPort(int newPort) {
        return new Settings(producerCode, logOrigin, explicit, host, newPort, maxUploadBytes, databaseUrl, publicVerify,
                allowedHosts, clients);
    }

    /** These settings with another database URL. */
    public Settings withDatabaseUrl(String url) {
        return new Settings(producerCode, logOrigin, explicit, host, port, maxUploadBytes, url, publicVerify, allowedHosts,
                clients);
    }

    /** These settings with other client limits; tests use short ones. */
    public Settings withClientLimits(ClientLimits limits) {
        return new Settings(producerCode, logOrigin, explicit, host, port, maxUploadBytes, databaseUrl, publicVerify,
                allowedHosts, limits);
    }

    private static String text(JsonNode node, String fallback) {
        return node == null || node.isMissingNode() || node.isNull() ? fallback : node.asText();
    }
}
