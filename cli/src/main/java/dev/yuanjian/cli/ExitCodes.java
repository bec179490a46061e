package dev.yuanjian.cli;

/**
 * Every exit code of {@code yuanjian}, in one place (also in the README and {@code --help}).
 *
 * <p>Verify's verdicts get their own codes so scripts can branch on them without parsing output:
 * 0 intact, 10 altered, 11 forged, 12 unlabelled.
 */
public final class ExitCodes {
    /** Success; for verify: labelled and intact; for log verify: the log is intact. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the message and a stack trace go to stderr. */
    public static final int INTERNAL = 1;
    /** The command line is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** The input file is unusable: unknown format, corrupt, invalid or duplicated label. */
    public static final int BAD_INPUT = 3;
    /** A file could not be read or written, or the configuration or database is unusable. */
    public static final int IO = 4;
    /** Something asked for does not exist (for example a content id the log does not know). */
    public static final int NOT_FOUND = 5;
    /** generate: no model is connected, or every backend failed (the message says which and why). */
    public static final int MODEL = 6;
    /** verify: labelled by this service, but the content changed after labelling. */
    public static final int ALTERED = 10;
    /** verify: the label is forged, or from a producer this service cannot check. */
    public static final int FORGED = 11;
    /** verify: no implicit label. */
    public static final int UNLABELLED = 12;
    /** log verify: the log does not match its entries or checkpoints. */
    public static final int LOG_TAMPERED = 13;

    static final String HELP = """
            Exit codes:
              0   success; verify: labelled and intact; log verify: intact
              1   internal error
              2   wrong command line
              3   unusable input (unknown format, corrupt file, invalid or duplicated label)
              4   cannot read or write a file; bad configuration or database
              5   not found (e.g. unknown content id)
              6   generate: no model connected, or the model failed
              10  verify: labelled, but the content was altered
              11  verify: label forged or from an unknown producer
              12  verify: unlabelled
              13  log verify: tampering found""";

    private ExitCodes() {
    }
}
