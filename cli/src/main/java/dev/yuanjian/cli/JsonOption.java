package dev.yuanjian.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the machine-readable output every command that prints a result offers (a mixin). */
final class JsonOption {
    @Option(names = "--json", description = "print the result as JSON")
    private boolean json;

    boolean enabled() {
        return json;
    }
}
