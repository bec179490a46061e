package dev.yuanjian.ledger;

import java.util.ArrayList;
import java.util.List;

/** A tree kept in memory the way storage keeps it: stored hashes in stored-index order. */
final class MemoryTree implements HashReader {
    private final List<Hash> stored = new ArrayList<>();
    private final List<byte[]> records = new ArrayList<>();

    long size() {
        return records.size();
    }

    void append(byte[] data) {
        Hash[] hashes = Tlog.storedHashes(records.size(), data, this);
        stored.addAll(List.of(hashes));
        records.add(data);
    }

    Hash leaf(long n) {
        return stored.get((int) Tlog.storedHashIndex(0, n));
    }

    Hash root(long n) {
        return Tlog.treeHash(n, this);
    }

    byte[] record(long n) {
        return records.get((int) n);
    }

    int storedCount() {
        return stored.size();
    }

    @Override
    public Hash[] readHashes(long[] indexes) {
        Hash[] out = new Hash[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = stored.get((int) indexes[i]);
        }
        return out;
    }

    /** RFC 6962's recursive MTH over the leaf hashes of [lo, hi): an independent reference. */
    Hash referenceRoot(long lo, long hi) {
        if (hi - lo == 1) {
            return leaf(lo);
        }
        long k = Tlog.split(hi - lo);
        return Tlog.nodeHash(referenceRoot(lo, lo + k), referenceRoot(lo + k, hi));
    }
}
