package dev.yuanjian.c2pa;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 Time-Stamp Authority client: asks the TSA at {@code url} to time-stamp a message
 * (HTTP POST of a {@code TimeStampReq}, {@code application/timestamp-query}; SHA-256 imprint, a
 * 64-bit nonce, the TSA's certificate requested) and returns the {@code TimeStampToken} (a CMS
 * {@code ContentInfo}, DER) after checking it: status granted, nonce and imprint as asked, and the
 * token's signature valid with the TSA certificate it carries ({@link TimeStamps#check}).
 *
 * <p>One request at a time per call; thread-safe (the HTTP client is shared).
 */
public final class TimeStamper {
    /** A token is a signed CMS structure with the TSA's certificates: a few KB. More is not a token. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final URI url;
    /** The URL without its query, which may carry an account key: what errors name. */
    private final String name;
    private final Duration timeout;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param url     the TSA's HTTP(S) endpoint
     * @param timeout for connecting and for the whole answer
     * @throws IllegalArgumentException when {@code url} is not an absolute http or https URL
     */
    public TimeStamper(URI url, Duration timeout) {
        if (!url.isAbsolute() || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("a Time-Stamp Authority URL must be an absolute http or https URL, e.g. "
                    + "http://timestamp.digicert.com; got '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            // It would be echoed in every error; and HttpClient sends no credentials from a URL anyway.
            throw new IllegalArgumentException("a Time-Stamp Authority URL with credentials (user:password@) is not "
                    + "supported; use a TSA that needs none");
        }
        this.url = url;
        this.name = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The TSA's endpoint without its query, as errors and notices name it. */
    public String name() {
        return name;
    }

    /**
     * A time-stamp token over SHA-256({@code message}).
     *
     * @throws TimeStampException when the TSA cannot be reached in time, answers with an error or
     *                            refusal, or sends something that is not a valid token for this request
     */
    public byte[] token(byte[] message) throws TimeStampException {
        byte[] imprint = sha256(message);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, imprint, new BigInteger(64, random));
        byte[] answer;
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw fail("answered HTTP " + response.statusCode(), null);
                }
                answer = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (TimeStampException e) {
            throw e;
        } catch (HttpTimeoutException e) {
            throw fail("did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw fail("cannot be reached (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("was not waited for: interrupted", e);
        }
        if (answer.length > MAX_RESPONSE_BYTES) {
            throw fail("sent more than " + MAX_RESPONSE_BYTES + " bytes, which is no time-stamp response", null);
        }
        try {
            TimeStampResponse response = new TimeStampResponse(answer);
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw fail("refused the request (status " + response.getStatus()
                        + (response.getStatusString() != null ? ": " + response.getStatusString() : "") + ")", null);
            }
            // Status, nonce, imprint, algorithm and certificate as requested.
            response.validate(request);
            TimeStamps.Checked checked = TimeStamps.check(token.getEncoded(), message);
            if (!checked.validated()) {
                throw fail("sent a token that does not check: " + String.join("; ", checked.problems()), null);
            }
            return token.getEncoded();
        } catch (TimeStampException e) {
            throw e;
        } catch (TSPException | IOException | IllegalArgumentException e) {
            throw fail("sent an unusable time-stamp response (" + e.getMessage() + ")", e);
        }
    }

    /** The first message in the chain: HttpClient's ConnectException has none of its own. */
    private static String reason(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "could not connect";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private TimeStampException fail(String what, Throwable cause) {
        return new TimeStampException("the Time-Stamp Authority " + name + " " + what
                + "; check c2pa.timeStampAuthority / YUANJIAN_C2PA_TSA_URL, or unset it to sign without a time-stamp", cause);
    }

    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The TSA failed: unreachable, too slow, refusing, or answering with something that is not a valid token. */
    public static final class TimeStampException extends IOException {
        TimeStampException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
