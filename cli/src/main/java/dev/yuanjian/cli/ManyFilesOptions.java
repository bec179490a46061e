package dev.yuanjian.cli;

import picocli.CommandLine.Option;

/**
 * {@code -r/--recursive} and {@code -j/--jobs} (a mixin): how a command that takes many files finds
 * them ({@link Inputs}) and how many it processes at once ({@link Batch}).
 */
final class ManyFilesOptions {
    @Option(names = {"-r", "--recursive"}, description = "take the files under each directory (not hidden ones, "
            + "sidecars, or links met on the way)")
    private boolean recursive;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "files processed at once (default: one per core, ${DEFAULT-VALUE})")
    private int jobs = Runtime.getRuntime().availableProcessors();

    boolean recursive() {
        return recursive;
    }

    int jobs() {
        if (jobs < 1) {
            throw new Main.UserError(ExitCodes.USAGE, "--jobs must be 1 or more, got " + jobs);
        }
        return jobs;
    }
}
