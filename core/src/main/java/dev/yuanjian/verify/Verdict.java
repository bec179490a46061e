package dev.yuanjian.verify;

import dev.yuanjian.ledger.TransparencyLog.InclusionProof;
import dev.yuanjian.ledger.TransparencyLog.LoggedEntry;
import dev.yuanjian.ledger.TransparencyLog.SignedCheckpoint;
import java.util.List;

/** What verify concludes about one file. */
public sealed interface Verdict {

    /** Stable machine name: intact, altered, forged, unlabelled. */
    String kind();

    /** Labelled by this producer, the label's seal checks, and the content is exactly as logged. */
    record Intact(LoggedEntry entry, InclusionProof proof, SignedCheckpoint checkpoint) implements Verdict {
        public String kind() {
            return "intact";
        }
    }

    /** The label is genuine (its seal checks against the logged content) but the file has changed since. */
    record Altered(LoggedEntry entry, InclusionProof proof, SignedCheckpoint checkpoint) implements Verdict {
        public String kind() {
            return "altered";
        }
    }

    /** A label is present but this producer did not issue it as it stands; {@code reason} says why. */
    record Forged(Message reason) implements Verdict {
        public String kind() {
            return "forged";
        }
    }

    /**
     * No implicit label. {@code knownToLog} lists log entries whose content hash equals this file's
     * exact SHA-256 (for example generated text copied without its sidecar).
     */
    record Unlabelled(List<LoggedEntry> knownToLog) implements Verdict {
        public String kind() {
            return "unlabelled";
        }
    }
}
