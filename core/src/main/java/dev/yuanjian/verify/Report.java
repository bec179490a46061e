package dev.yuanjian.verify;

import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Message;
import java.util.List;
import java.util.Optional;

/**
 * Everything verify found in one file: its format, what each mark's detector found (in the order
 * the marks are applied), the digests, the verdict, and the notes of every finding.
 *
 * @param sha256          hex SHA-256 of exactly the file's bytes
 * @param protectedDigest hex producer's digest (what a producer's log entry records)
 */
public record Report(String fileName, String format, String mediaType, List<Finding> findings, String sha256,
                     String protectedDigest, Verdict verdict) {

    /** Every finding's notes, in order. */
    public List<Message> notes() {
        return findings.stream().flatMap(f -> f.notes().stream()).toList();
    }

    /** The finding of the mark named {@code mark}, if that mark applies to this format. */
    public Optional<Finding> finding(String mark) {
        return findings.stream().filter(f -> f.mark().equals(mark)).findFirst();
    }
}
