/**
 * The {@code yuanjian} command: one picocli class per subcommand, exit codes from {@link
 * dev.yuanjian.cli.ExitCodes} alone, human-readable output by default and {@code --json} for machines.
 * Options several commands share are mixins, declared once: {@link dev.yuanjian.cli.JsonOption},
 * {@link dev.yuanjian.cli.OutputOptions} ({@code -o} and {@code --force}), {@link
 * dev.yuanjian.cli.SidecarOption}, {@link dev.yuanjian.cli.ManyFilesOptions} ({@code -r}, {@code -j}).
 *
 * <p>{@code label} and {@code verify} take many files: {@link dev.yuanjian.cli.Inputs} turns the
 * arguments (files, directories, globs) into one sorted list before anything is written, and
 * {@link dev.yuanjian.cli.Batch} runs the command's per-file work on a bounded pool over one opened
 * product, printing a line per file in order, a summary and the worst exit code ({@link
 * dev.yuanjian.cli.Progress} on a terminal only).
 *
 * <p>Owns: argument parsing, output wording, exit codes, writing result files atomically. Must not
 * touch: any capability's logic; every command calls {@link dev.yuanjian.app.Yuanjian}.
 */
package dev.yuanjian.cli;
