package dev.yuanjian.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored hashes every proof shares: those of subtrees of at least 256 entries (tree level 8 and
 * up, one per 128 entries), kept once read. Stored hashes never change once committed (the log is
 * append-only), so a cached hash is never stale. Hashes below level 8 are particular to a few
 * entries; caching them would only churn, so they are always read from storage.
 */
final class HashCache {
    /** Tree level from which hashes are cached: the bottom row of level-1 tiles. */
    static final int MIN_LEVEL = Tile.HEIGHT;

    private final Map<Long, Hash> hashes = new ConcurrentHashMap<>();
    private final int capacity;

    /** @param capacity the most hashes kept; once full, further ones are read from storage. */
    HashCache(int capacity) {
        this.capacity = capacity;
    }

    /** Reads {@code indexes}, taking what is cached and the rest from {@code storage} in one call. */
    Hash[] read(long[] indexes, HashReader storage) {
        Hash[] out = new Hash[indexes.length];
        int missing = 0;
        for (int i = 0; i < indexes.length; i++) {
            out[i] = hashes.get(indexes[i]);
            if (out[i] == null) {
                missing++;
            }
        }
        if (missing == 0) {
            return out;
        }
        long[] wanted = new long[missing];
        int w = 0;
        for (int i = 0; i < indexes.length; i++) {
            if (out[i] == null) {
                wanted[w++] = indexes[i];
            }
        }
        Hash[] read = Tlog.read(storage, wanted);
        w = 0;
        for (int i = 0; i < indexes.length; i++) {
            if (out[i] == null) {
                out[i] = read[w];
                keep(wanted[w], read[w]);
                w++;
            }
        }
        return out;
    }

    private void keep(long index, Hash hash) {
        if (hashes.size() < capacity && Tlog.splitStoredHashIndex(index).level() >= MIN_LEVEL) {
            hashes.putIfAbsent(index, hash);
        }
    }
}
