-- The transparency log (package dev.yuanjian.ledger). The same text runs on H2 2.x and
-- PostgreSQL 15: BYTEA is PostgreSQL's binary type and an H2 alias of BINARY VARYING.
--
-- Invariants the log keeps (and `log verify` checks):
--  * ledger_head.tree_size = N means entries 0..N-1 and their tree rows are all present; they are
--    written in the same transaction that raises tree_size.
--  * Rows are only ever inserted, never updated or deleted (the head's tree_size only grows).
--  * Appenders lock the one head row (SELECT ... FOR UPDATE), so several processes sharing the
--    database append one after the other.

CREATE TABLE ledger_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT  NOT NULL CHECK (tree_size >= 0)
);
INSERT INTO ledger_head (id, tree_size) VALUES (1, 0);

-- One row per log entry: record = ProvenanceRecord.canonicalJson(), the exact bytes hashed into the
-- tree; content_id and sha256 repeat fields of the record for lookups. sha256_key is the first 8
-- bytes of sha256 as a signed big-endian BIGINT: indexing it instead of the 32-byte sha256 keeps
-- the index small and its comparisons cheap (it is the costliest index of an append), and lookups
-- filter on both columns.
CREATE TABLE ledger_entries (
    idx        BIGINT       PRIMARY KEY,
    content_id VARCHAR(256) NOT NULL,
    sha256     BYTEA        NOT NULL,
    sha256_key BIGINT       NOT NULL,
    record     BYTEA        NOT NULL,
    CONSTRAINT ledger_entries_content_id UNIQUE (content_id)
);
CREATE INDEX ledger_entries_sha256_key ON ledger_entries (sha256_key);

-- The Merkle tree: one row per entry holding the hashes that entry's append stored, concatenated
-- (32 bytes each): its leaf hash SHA-256(0x00 || record), then one hash per subtree it completed
-- (levels 1, 2, ...). Row idx thus holds stored hash indexes StoredHashIndex(0, idx) ..
-- StoredHashIndex(0, idx + 1) - 1 of Go's tlog layout (Tlog.storedHashIndex). One row per entry
-- instead of one per hash halves the rows an append writes; keeping the tree apart from the entries
-- lets the audit pin a moved or replaced entry to its exact index.
CREATE TABLE ledger_tree (
    idx    BIGINT PRIMARY KEY,
    hashes BYTEA  NOT NULL
);

-- Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note), one per tree size signed.
CREATE TABLE ledger_checkpoints (
    tree_size BIGINT        PRIMARY KEY,
    root_hash BYTEA         NOT NULL,
    note      VARCHAR(4096) NOT NULL
);
