package dev.yuanjian.mark;

/**
 * One line of a finding as a person reads it: a short name and a value, e.g. ("producer",
 * "001191440300708461136T1XGW3"). Renderers (CLI, web page) print facts without knowing the
 * finding's type.
 *
 * @param name  a short English name, lower case, as the CLI prints it
 * @param value the value as text; machine values (codes, ids, digests) verbatim
 */
public record Fact(String name, String value) {
    public Fact {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(value, "value");
    }
}
