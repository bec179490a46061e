package dev.yuanjian.ledger;

/**
 * Reads the stored hashes of a log's tree, addressed by stored hash index (see
 * {@link Tlog#storedHashIndex}). The Merkle math reads through this one method only, so memory,
 * the database and tiles fetched over HTTP can all back the same proof code.
 */
@FunctionalInterface
public interface HashReader {
    /**
     * Returns the hashes at {@code indexes}, in the same order and of the same length, or throws.
     * Callers ask in increasing order where they can, which lets storage read sequentially.
     *
     * @throws LogStorageException when a hash cannot be read (missing, storage failure)
     */
    Hash[] readHashes(long[] indexes);
}
