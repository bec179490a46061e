package dev.yuanjian.mark;

/**
 * What the marks learn once the log entry exists: its index and the digest it recorded, which a
 * mark may sign ({@link Mark#seal}).
 *
 * @param issuance the values shared before the entry existed
 * @param logIndex the entry's index in the transparency log
 * @param digest   the SHA-256 the entry records ({@link Digests#of}), 32 bytes
 */
public record Sealing(Issuance issuance, long logIndex, byte[] digest) {
    public Sealing {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + digest.length);
        }
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }
}
