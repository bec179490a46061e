package dev.yuanjian.verify;

import dev.yuanjian.label.AigcLabel;
import java.util.List;
import java.util.Optional;

/**
 * Everything verify found in one file: its format, the implicit label if any, whether the visible
 * label is there, the protected digest, the verdict, and notes a reader should see (for example a
 * placeholder producer code).
 */
public record Report(String fileName, String format, String mediaType, Optional<AigcLabel> label,
                     boolean explicitLabel, String sha256, String protectedDigest, Verdict verdict,
                     List<Message> notes) {
}
