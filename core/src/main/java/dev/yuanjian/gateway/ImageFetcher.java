package dev.yuanjian.gateway;

import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.UpstreamClient;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Fetches an image that a backend answered with as a URL, so that its bytes can be marked and
 * logged like base64 images. A URL in an answer is data from the upstream, so it is fetched as
 * untrusted: http or https only, no credentials sent, at most {@code gateway.imageFetch.maxMb}
 * within {@code gateway.imageFetch.timeoutMs} (redirects included, at most {@value #MAX_REDIRECTS},
 * each checked again), and never from a private, loopback, link-local or otherwise non-public
 * address unless the host is the backend's own (a model server on the local network serving its
 * own files): otherwise a compromised or misconfigured backend could make the gateway read its
 * cloud metadata service or internal sites (SSRF). The addresses are checked when resolved; the
 * JDK client resolves the name again when it connects, so a DNS answer that changes in between
 * (rebinding) is not caught.
 */
final class ImageFetcher {
    private static final int MAX_REDIRECTS = 3;

    private final UpstreamClient client;
    private final ModelConfig.ImageFetch limits;

    ImageFetcher(UpstreamClient client, ModelConfig.ImageFetch limits) {
        this.client = client;
        this.limits = limits;
    }

    /**
     * The image at {@code url}, answered by {@code backend}; a failure (INVALID_RESPONSE, so the
     * router may try another backend) says why it was refused or what went wrong.
     *
     * @param deadline {@link System#nanoTime()} by which the whole request must end
     */
    Attempt<byte[]> fetch(String url, Backend backend, long deadline) {
        long until = Math.min(deadline, System.nanoTime() + limits.timeout().toNanos());
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return refused(backend, "answered with an image URL that is not a URL");
        }
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Optional<String> refusal = refusal(uri, backend);
            if (refusal.isPresent()) {
                return refused(backend, "answered with an image URL the gateway does not fetch: " + refusal.get());
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return Attempt.failed(Attempt.Failure.Kind.TIMEOUT, 0, Optional.empty(), backend.id()
                        + ": its image URL was not fetched within " + limits.timeout().toMillis() + " ms", new byte[0]);
            }
            Attempt<UpstreamClient.Reply> got = client.fetch(uri, (int) limits.maxBytes(), Duration.ofNanos(left));
            if (!(got instanceof Attempt.Answered<UpstreamClient.Reply> ok)) {
                Attempt.Failure f = ((Attempt.Failed<UpstreamClient.Reply>) got).failure();
                // Whatever went wrong with the URL is the answer's fault, never the client's request.
                return Attempt.failed(f.kind() == Attempt.Failure.Kind.REJECTED ? Attempt.Failure.Kind.INVALID_RESPONSE
                        : f.kind(), f.status(), Optional.empty(), backend.id() + ": fetching its image URL failed: "
                        + f.message(), new byte[0]);
            }
            if (ok.value().location().isEmpty()) {
                return new Attempt.Answered<>(ok.value().body());
            }
            try {
                uri = uri.resolve(ok.value().location().get());
            } catch (IllegalArgumentException e) {
                return refused(backend, "redirected its image URL to something that is not a URL");
            }
        }
        return refused(backend, "redirected its image URL more than " + MAX_REDIRECTS + " times");
    }

    private static Attempt<byte[]> refused(Backend backend, String why) {
        return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(), backend.id() + " " + why,
                new byte[0]);
    }

    /** Why {@code uri} must not be fetched for {@code backend}, or empty when it may be. */
    static Optional<String> refusal(URI uri, Backend backend) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http and https URLs are fetched, not '" + scheme + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL has no host");
        }
        if (host.equalsIgnoreCase(backend.baseUrl().getHost())) {
            return Optional.empty(); // the backend's own server, wherever it is
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("its host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return Optional.of(host + " is a private, loopback, link-local or reserved address (" + a.getHostAddress()
                        + "), and not the backend's own host");
            }
        }
        return Optional.empty();
    }

    /** False for every address that is not on the public internet (IANA special-purpose registries). */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || first >= 240                        // "this network", reserved, broadcast
                    || (first == 100 && (second & 0xc0) == 64)         // 100.64.0.0/10 carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                    || (first == 198 && (second & 0xfe) == 18));       // 198.18.0.0/15 benchmarking
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return false; // fec0::/10 site-local (deprecated)
            }
            boolean embedsV4 = isPrefix(b, new int[] {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}) // 64:ff9b::/96 NAT64
                    || isPrefix(b, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});                 // ::a.b.c.d
            if (embedsV4) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return false;
                }
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                try { // 2002::/16 6to4 carries an IPv4 address in bytes 2..5
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 2, 6)));
                } catch (UnknownHostException impossible) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isPrefix(byte[] address, int[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
