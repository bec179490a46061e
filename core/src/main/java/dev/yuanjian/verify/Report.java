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
 * @param fileNotes       what the file's container says about its structure (damage read around,
 *                        encryption, another standard's store present), in order
 */
public record Report(String fileName, String format, String mediaType, List<Finding> findings, String sha256,
                     String protectedDigest, Verdict verdict, List<Message> fileNotes) {
    public Report {
        findings = List.copyOf(findings);
        fileNotes = List.copyOf(fileNotes);
    }

    /** The file's notes, then every finding's notes, in order. */
    public List<Message> notes() {
        return java.util.stream.Stream.concat(fileNotes.stream(), findings.stream().flatMap(f -> f.notes().stream()))
                .toList();
    }

    /** The finding of the mark named {@code mark}, if that mark applies to this format. */
    public Optional<Finding> finding(String mark) {
        return findings.stream().filter(f -> f.mark().equals(mark)).findFirst();
    }
}
