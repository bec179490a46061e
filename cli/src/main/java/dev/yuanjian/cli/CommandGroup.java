package dev.yuanjian.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code log}, {@code keys}): run alone it prints its usage,
 * and it hands its subcommands the top-level {@link Main} (environment, output, opening the product).
 */
abstract class CommandGroup implements Runnable {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        // The spec's own CommandLine knows its parents, so the usage reads "yuanjian log ...".
        spec.commandLine().usage(main.out());
    }

    Main main() {
        return main;
    }
}
