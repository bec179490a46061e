package dev.yuanjian.privacy;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which {@link Operator} each kind of personal data gets: one per {@link EntityType} named, and
 * {@code fallback} for the rest. Text form ({@link #parse}, the CLI's {@code --policy}):
 * {@code default=replace,CN_MOBILE=mask,EMAIL=hash}, kinds by enum name or tag.
 *
 * @param byType   the operator of each kind named
 * @param fallback the operator of every other kind
 */
public record Policy(Map<EntityType, Operator> byType, Operator fallback) {
    /** Every value replaced by its placeholder: what {@link Pseudonymizer#mask(String, PlaceholderMap)} does. */
    public static final Policy REPLACE_ALL = new Policy(Map.of(), new Operator.Replace());

    public Policy {
        byType = Map.copyOf(byType);
        java.util.Objects.requireNonNull(fallback, "fallback");
    }

    /** The operator for values of kind {@code type}. */
    public Operator operatorFor(EntityType type) {
        return byType.getOrDefault(type, fallback);
    }

    /**
     * Parses {@code KIND=OPERATOR} pairs separated by commas; {@code default} (or {@code *}) names
     * the fallback, which is {@code replace} when not given.
     *
     * @throws IllegalArgumentException naming the pair that is wrong
     */
    public static Policy parse(String text) {
        Map<String, String> pairs = new java.util.LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("policy entry '" + part.strip() + "' is not KIND=OPERATOR "
                        + "(e.g. default=replace,CN_MOBILE=mask)");
            }
            pairs.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return of(pairs);
    }

    /** The policy of {@code KIND -> OPERATOR} entries (config.yaml's mapping), as {@link #parse}. */
    public static Policy of(Map<String, String> entries) {
        Map<EntityType, Operator> byType = new EnumMap<>(EntityType.class);
        Operator fallback = new Operator.Replace();
        for (var e : entries.entrySet()) {
            Operator op = Operator.parse(e.getValue());
            String kind = e.getKey();
            if (kind.equalsIgnoreCase("default") || kind.equals("*")) {
                fallback = op;
            } else {
                byType.put(type(kind), op);
            }
        }
        return new Policy(byType, fallback);
    }

    /** The kind named by its enum name or its tag, case-insensitive. */
    public static EntityType type(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (EntityType t : EntityType.values()) {
            if (t.name().equals(n) || t.tag().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown kind of personal data '" + name + "' (kinds: "
                + java.util.Arrays.stream(EntityType.values()).map(Enum::name).toList() + ")");
    }
}
