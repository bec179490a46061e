package dev.yuanjian.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces personal data by placeholders and puts it back: {@link #mask} runs the analyzer and
 * swaps each entity for its conversation's placeholder (or what a {@link Policy} says); {@link
 * #restore} swaps placeholders the map issued back to their originals and leaves every other
 * bracketed text alone.
 */
public final class Pseudonymizer {
    private final Analyzer analyzer;
    private final Operators operators;

    /** Placeholders only: {@link #mask(String, PlaceholderMap, Policy)} refuses hash and encrypt. */
    public Pseudonymizer(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.operators = Operators.withoutKeys();
    }

    /** With the installation's keys, for every operator. */
    public Pseudonymizer(Analyzer analyzer, Operators operators) {
        this.analyzer = analyzer;
        this.operators = operators;
    }

    /** The analyzer it runs. */
    public Analyzer analyzer() {
        return analyzer;
    }

    /** A masked text and the entities that were replaced (offsets in the text as given). */
    public record Masked(String text, List<Entity> entities) {
        public Masked {
            entities = List.copyOf(entities);
        }
    }

    /** Masks {@code text}; placeholder-shaped literals already in it are reserved in {@code map} first. */
    public Masked mask(String text, PlaceholderMap map) {
        return mask(text, map, Policy.REPLACE_ALL);
    }

    /**
     * Masks {@code text} as {@code policy} says for each kind; {@link Masked#entities()} lists the
     * values changed (not those the policy keeps).
     *
     * <p>The caller calls {@link PlaceholderMap#flush} when its request's masking is done; when this
     * fails, what it issued in {@code map} since the last flush is discarded.
     *
     * @throws IllegalStateException when the policy hashes or encrypts and this has no keys
     * @throws MaskingRefused when the map refuses more new values
     */
    public Masked mask(String text, PlaceholderMap map, Policy policy) {
        try {
            return maskInto(text, map, policy);
        } catch (RuntimeException e) {
            map.discard();
            throw e;
        }
    }

    private Masked maskInto(String text, PlaceholderMap map, Policy policy) {
        for (Placeholder literal : Placeholders.in(text)) {
            map.reserve(literal);
        }
        List<Entity> entities = analyzer.analyze(text);
        if (entities.isEmpty()) {
            return new Masked(text, entities);
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        List<Entity> replaced = new ArrayList<>(entities.size());
        for (Entity e : entities) {
            Operator op = policy.operatorFor(e.type());
            if (op instanceof Operator.Keep) {
                continue;
            }
            out.append(text, at, e.start());
            out.append(operators.apply(op, e.type(), e.in(text), map));
            at = e.end();
            replaced.add(e);
        }
        out.append(text, at, text.length());
        return new Masked(out.toString(), replaced);
    }

    /** {@code text} with every placeholder {@code map} issued replaced by its original. */
    public static String restore(String text, PlaceholderMap map) {
        return Restorer.restoreAll(text, map, Restorer.Encoding.TEXT);
    }
}
