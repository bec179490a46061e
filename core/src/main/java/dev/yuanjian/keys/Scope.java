package dev.yuanjian.keys;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a key may do. {@code admin} implies the others. */
public enum Scope {
    /** Chat completions, images, the model list. */
    GENERATE,
    /** The verify API. */
    VERIFY,
    /** Everything, including key management over HTTP when it comes. */
    ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "generate,verify"}; unknown names are refused with the list of known ones. */
    public static Set<Scope> parse(String text) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String part : text.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                scopes.add(valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scope '" + part + "' (scopes: generate, verify, admin)");
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope (generate, verify, admin)");
        }
        return scopes;
    }

    public static String format(Set<Scope> scopes) {
        return String.join(",", scopes.stream().sorted().map(Scope::id).toList());
    }
}
