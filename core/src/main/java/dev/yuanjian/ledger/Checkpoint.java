package dev.yuanjian.ledger;

import java.util.regex.Pattern;

/**
 * A checkpoint body (C2SP tlog-checkpoint): the origin line, the tree size in decimal, and the
 * base64 root hash, each ending in a newline. Signed as a {@link Note} it is the log's statement
 * "my tree of {@code size} entries has root {@code root}".
 */
public record Checkpoint(String origin, long size, Hash root) {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint origin is one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        if (root == null) {
            throw new IllegalArgumentException("a checkpoint needs a root hash");
        }
    }

    /** {@code origin\nsize\nbase64(root)\n}: the text that is signed. */
    public String body() {
        return origin + "\n" + size + "\n" + root + "\n";
    }

    /**
     * Parses a checkpoint body; extension lines after the root are allowed and ignored.
     *
     * @throws IllegalArgumentException when the body is not a checkpoint
     */
    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty() || !DECIMAL.matcher(lines[1]).matches()) {
            throw new IllegalArgumentException("malformed checkpoint");
        }
        for (int i = 3; i < lines.length - 1; i++) {
            if (lines[i].isEmpty()) {
                throw new IllegalArgumentException("malformed checkpoint: empty extension line");
            }
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed checkpoint: size out of range", e);
        }
        return new Checkpoint(lines[0], size, Hash.parse(lines[2]));
    }

    /**
     * Opens a signed checkpoint: the note must carry a valid signature by {@code verifier}, and its
     * origin must be the verifier's name (as this log signs them).
     *
     * @throws IllegalArgumentException when either is not so
     */
    public static Checkpoint open(String signedNote, NoteVerifier verifier) {
        Checkpoint checkpoint = parse(Note.open(signedNote, verifier).text());
        if (!checkpoint.origin().equals(verifier.name())) {
            throw new IllegalArgumentException("checkpoint origin '" + checkpoint.origin()
                    + "' is not the key name '" + verifier.name() + "'");
        }
        return checkpoint;
    }
}
