package dev.yuanjian.server;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route declares exactly one when it is registered ({@link Routes},
 * {@code GatewayRoutes}); {@link AccessCheck} alone decides what each means, so the access rule of
 * the whole HTTP surface is read in the route list and enforced in one place.
 */
public enum Role implements RouteRole {
    /** Anyone: the pages, the log, health, and verify while it is public. */
    PUBLIC,
    /** A key with the {@code generate} scope; while no key exists, callers on this machine. */
    GENERATE,
    /** A key with the {@code verify} scope; while no key exists, callers on this machine. */
    VERIFY,
    /** A key with the {@code admin} scope (erasing personal data); while no key exists, callers on this machine. */
    ADMIN
}
