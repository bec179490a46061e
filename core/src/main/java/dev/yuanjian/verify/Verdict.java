package dev.yuanjian.verify;

import dev.yuanjian.ledger.TransparencyLog.InclusionProof;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint;
import dev.yuanjian.mark.Claim.Role;
import dev.yuanjian.mark.Message;
import java.util.List;

/** What verify concludes about one file, from the strongest claim of its findings. */
public sealed interface Verdict {

    /** Stable machine name: intact, altered, forged, labelled, traced, unlabelled. */
    String kind();

    /**
     * This service issued the file (as its producer, or as the platform that propagated it), the
     * seal checks, and the content is exactly as logged.
     */
    record Intact(LoggedEntry entry, InclusionProof proof, SignedCheckpoint checkpoint, Role role) implements Verdict {
        public String kind() {
            return "intact";
        }
    }

    /** The label is genuine (its seal checks against the logged content) but the file has changed since. */
    record Altered(LoggedEntry entry, InclusionProof proof, SignedCheckpoint checkpoint, Role role) implements Verdict {
        public String kind() {
            return "altered";
        }
    }

    /** A label claims this service but this service did not issue it as it stands; {@code reason} says why. */
    record Forged(Message reason) implements Verdict {
        public String kind() {
            return "forged";
        }
    }

    /**
     * Labelled as AI-generated content by another party (GB 45438 {@code Label} "1" is, "2"
     * possibly, "3" suspected), whose integrity data this service cannot check.
     */
    record Labelled(String party, Role role, String level, Message reason) implements Verdict {
        public String kind() {
            return "labelled";
        }
    }

    /**
     * No intact label, but a watermark of this service's key names log entry {@code entry}: the
     * file is that output, or made from it, after its labels were stripped or it was re-encoded,
     * resized or cropped. {@code others} lists further entries the watermark's payload also fits
     * (outputs made in the same millisecond whose ids share the payload's bits; rare).
     */
    record Traced(String mark, LoggedEntry entry, InclusionProof proof, SignedCheckpoint checkpoint,
                  List<LoggedEntry> others) implements Verdict {
        public Traced {
            others = List.copyOf(others);
        }

        public String kind() {
            return "traced";
        }
    }

    /**
     * No label. {@code knownToLog} lists log entries whose content hash equals this file's
     * exact SHA-256 (for example generated text copied without its sidecar).
     */
    record Unlabelled(List<LoggedEntry> knownToLog) implements Verdict {
        public String kind() {
            return "unlabelled";
        }
    }
}
