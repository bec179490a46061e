package dev.yuanjian.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of stored hashes. Stored hashes never change once committed
 * (the log is append-only), so a cached hash is never stale; the cache only saves round trips.
 * The hashes near the top of the tree, which every proof shares, stay in it.
 */
final class HashCache {
    private final Map<Long, Hash> hashes;

    HashCache(int capacity) {
        this.hashes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Hash> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Reads {@code indexes}, taking what is cached and the rest from {@code storage} in one call. */
    Hash[] read(long[] indexes, HashReader storage) {
        Hash[] out = new Hash[indexes.length];
        int missing = 0;
        synchronized (hashes) {
            for (int i = 0; i < indexes.length; i++) {
                out[i] = hashes.get(indexes[i]);
                if (out[i] == null) {
                    missing++;
                }
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
        synchronized (hashes) {
            w = 0;
            for (int i = 0; i < indexes.length; i++) {
                if (out[i] == null) {
                    out[i] = read[w];
                    hashes.put(wanted[w], read[w]);
                    w++;
                }
            }
        }
        return out;
    }

    void clear() {
        synchronized (hashes) {
            hashes.clear();
        }
    }
}
