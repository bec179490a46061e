package dev.yuanjian.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/** Deterministic provenance records for tests and benchmarks. */
final class Records {
    private Records() {
    }

    static ProvenanceRecord sample(long i) {
        return sample("content-" + i, i);
    }

    static ProvenanceRecord sample(String contentId, long i) {
        return ProvenanceRecord.of(contentId, "image/png", sha256("content " + i), "91110000MA00TEST0X",
                "test-model-v1", Instant.ofEpochMilli(1_700_000_000_000L + i * 1000), "");
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
