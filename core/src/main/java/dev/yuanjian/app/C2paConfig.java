package dev.yuanjian.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a deployment configures C2PA Content Credentials beyond the key file
 * ({@code keys/c2pa.pem}). config.yaml keys and the variables that win over them:
 *
 * <pre>
 * c2pa.timeStampAuthority         YUANJIAN_C2PA_TSA_URL              RFC 3161 TSA URL; default none (no time-stamp)
 * c2pa.timeStampTimeoutSeconds    YUANJIAN_C2PA_TSA_TIMEOUT_SECONDS  default 10: connecting and answering, each request
 * c2pa.trustAnchors               YUANJIAN_C2PA_TRUST_ANCHORS        PEM bundle of further signer trust anchors; default none
 * c2pa.timeStampTrustAnchors      YUANJIAN_C2PA_TSA_TRUST_ANCHORS    PEM bundle of TSA trust anchors; default none
 * </pre>
 *
 * A relative trust-anchor path is taken from the data directory ($YUANJIAN_HOME).
 *
 * @param timeStampAuthority the TSA every manifest signature is time-stamped by, if any
 * @param timeStampTimeout   how long one TSA request may take
 * @param trustAnchors       a PEM bundle (C2PA trust list format) whose certificates verify also trusts as signers' CAs
 * @param timeStampTrustAnchors a PEM bundle (C2PA TSA trust list format) of the CAs of trusted TSAs
 */
public record C2paConfig(Optional<URI> timeStampAuthority, Duration timeStampTimeout, Optional<Path> trustAnchors,
                         Optional<Path> timeStampTrustAnchors) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public C2paConfig {
        if (timeStampTimeout.isNegative() || timeStampTimeout.isZero()) {
            throw new IllegalArgumentException("c2pa.timeStampTimeoutSeconds must be at least 1");
        }
    }

    /**
     * The C2PA settings of the parsed config.yaml {@code root} and {@code env}.
     *
     * @param home where a relative trust-anchor path is taken from
     * @throws IllegalArgumentException naming the key, when a value is malformed or the trust list
     *                                  file does not exist
     */
    public static C2paConfig parse(JsonNode root, Map<String, String> env, Path home) {
        Optional<String> tsa = pick(env, "YUANJIAN_C2PA_TSA_URL", root.at("/c2pa/timeStampAuthority"));
        Optional<URI> url = Optional.empty();
        if (tsa.isPresent()) {
            try {
                URI u = new URI(tsa.get());
                if (!u.isAbsolute() || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                        || u.getRawUserInfo() != null) {
                    throw new URISyntaxException(tsa.get(), "not an absolute http or https URL without credentials");
                }
                url = Optional.of(u);
            } catch (URISyntaxException e) {
                // Not echoed: a mistyped value may hold a credential.
                throw new IllegalArgumentException("c2pa.timeStampAuthority (YUANJIAN_C2PA_TSA_URL) must be the http or https "
                        + "URL of an RFC 3161 Time-Stamp Authority, without user:password@, e.g. http://timestamp.digicert.com");
            }
        }
        String seconds = pick(env, "YUANJIAN_C2PA_TSA_TIMEOUT_SECONDS", root.at("/c2pa/timeStampTimeoutSeconds"))
                .orElse(Long.toString(DEFAULT_TIMEOUT.toSeconds()));
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("c2pa.timeStampTimeoutSeconds must be a whole number of seconds, got '"
                    + seconds + "'");
        }
        return new C2paConfig(url, timeout, file(env, "YUANJIAN_C2PA_TRUST_ANCHORS", root, "trustAnchors", home),
                file(env, "YUANJIAN_C2PA_TSA_TRUST_ANCHORS", root, "timeStampTrustAnchors", home));
    }

    private static Optional<Path> file(Map<String, String> env, String variable, JsonNode root, String key, Path home) {
        Optional<Path> path = pick(env, variable, root.path("c2pa").path(key)).map(home::resolve);
        if (path.isPresent() && !Files.isRegularFile(path.get())) {
            throw new IllegalArgumentException("c2pa." + key + " (" + variable + ") names " + path.get()
                    + ", which is not a file; give a PEM bundle of trust anchor certificates");
        }
        if (path.isPresent()) {
            // Read now: a bundle that holds no certificate must stop a server from starting, not fail
            // every image verify later with an internal error.
            try {
                dev.yuanjian.c2pa.TrustList.read(path.get());
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("c2pa." + key + " (" + variable + "): " + e.getMessage(), e);
            }
        }
        return path;
    }

    private static Optional<String> pick(Map<String, String> env, String variable, JsonNode node) {
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isBlank()
                ? Optional.empty() : Optional.of(node.asText().strip());
    }
}
