/**
 * The {@code yuanjian} command: one picocli class per subcommand, exit codes from {@link
 * dev.yuanjian.cli.ExitCodes} alone, human-readable output by default and {@code --json} for machines.
 * Options several commands share are mixins, declared once: {@link dev.yuanjian.cli.JsonOption},
 * {@link dev.yuanjian.cli.OutputOptions} ({@code -o} and {@code --force}), {@link
 * dev.yuanjian.cli.SidecarOption}.
 *
 * <p>Owns: argument parsing, output wording, exit codes, writing result files atomically. Must not
 * touch: any capability's logic; every command calls {@link dev.yuanjian.app.Yuanjian}.
 */
package dev.yuanjian.cli;
