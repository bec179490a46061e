package dev.yuanjian.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may address this server from a browser. Two checks run before anything else, on every path:
 * <ul>
 *   <li><b>Host</b>: the name the client used must be this machine's (localhost, a loopback or
 *       local address literal) or one configured in {@code server.allowedHosts}. A DNS-rebinding
 *       page reaches a loopback server under its own name; refusing that name keeps it from
 *       reading answers and from riding the trust given to local callers.</li>
 *   <li><b>Origin</b> on requests that change state (anything but GET, HEAD, OPTIONS): a browser
 *       sends the page's origin, and only this server's own origin (the scheme aside, for TLS
 *       proxies: the same host and port as the request's Host) or a host in
 *       {@code server.allowedHosts} is accepted. {@code Origin: null}, another site, and another
 *       port of this machine (a different origin, though the same site: any local web app or dev
 *       server) are refused, as is {@code Sec-Fetch-Site} other than {@code same-origin} or
 *       {@code none}. A cross-origin form POST needs no CORS preflight, so without this any page the
 *       owner visits could label content or spend model credit through the owner's browser.
 *       Clients that send neither header (curl, SDKs) pass.</li>
 * </ul>
 * A request without a Host header (HTTP/1.0) is a 400: nothing can be checked without it.
 * Behind a reverse proxy the proxy's public host name goes in {@code server.allowedHosts}; the proxy
 * forwards the client's Host and Origin, and it connects from loopback itself, so a key is what
 * admits its clients once keys exist.
 */
final class TrustedOrigins implements Handler {
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Set<String> allowed;

    /** @param allowedHosts host names (without port) accepted besides this machine's, lower case */
    TrustedOrigins(List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void handle(Context ctx) {
        String hostHeader = ctx.header("Host");
        if (hostHeader == null || hostHeader.isBlank()) {
            throw new HttpResponseException(400, "the request has no Host header; send one (HTTP/1.1 requires it)",
                    Map.of("code", "bad_request"));
        }
        String host = hostName(hostHeader);
        if (host == null || !trusted(host, ctx)) {
            throw refuse("untrusted_host", "this server does not answer to the host name '"
                    + LogHandlers.printable(String.valueOf(ctx.header("Host"))) + "'; use localhost, or add the name to "
                    + "server.allowedHosts (YUANJIAN_ALLOWED_HOSTS) when a proxy or DNS name serves it");
        }
        if (SAFE.contains(ctx.method())) {
            return;
        }
        String fetchSite = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        boolean otherSite = fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin")
                && !fetchSite.equalsIgnoreCase("none");
        boolean foreignOrigin = origin != null && !trustedOrigin(origin, hostHeader);
        if (otherSite || foreignOrigin) {
            String from = origin != null ? "Origin " + LogHandlers.printable(origin)
                    : "Sec-Fetch-Site " + LogHandlers.printable(fetchSite);
            throw refuse("cross_origin", "requests that change state are not accepted from another origin than this "
                    + "server's own (" + from + "); call the API from a program, or from this server's own pages");
        }
    }

    /** This server's own origin (the same host and port as the Host header, http or https), or a configured host. */
    private boolean trustedOrigin(String origin, String hostHeader) {
        try {
            URI uri = URI.create(origin.strip());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false; // "null" (sandboxed frames, file: pages), other schemes, anything that is not an origin
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            String originHost = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[(.*)]$", "$1");
            return authority.equals(hostHeader.strip().toLowerCase(Locale.ROOT)) || allowed.contains(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** This machine's names and addresses, the address the connection arrived on, or a configured name. */
    private boolean trusted(String host, Context ctx) {
        if (host.equals("localhost") || host.endsWith(".localhost") || allowed.contains(host)) {
            return true;
        }
        if (!isAddressLiteral(host)) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.equals(InetAddress.getByName(ctx.req().getLocalAddr()));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 literal: never resolved through DNS, which an attacker may control. */
    private static boolean isAddressLiteral(String host) {
        return host.matches("[0-9.]+") || (host.contains(":") && host.matches("[0-9a-fA-F:.%a-zA-Z]+"));
    }

    /** The host part of a Host header, lower case, without port or IPv6 brackets; null when malformed. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static HttpResponseException refuse(String code, String message) {
        return new HttpResponseException(403, message, Map.of("code", code));
    }
}
