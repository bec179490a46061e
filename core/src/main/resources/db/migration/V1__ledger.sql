-- The transparency log (package dev.yuanjian.ledger). The same text runs on H2 2.x and
-- PostgreSQL 15: BYTEA is PostgreSQL's binary type and an H2 alias of BINARY VARYING.
--
-- Invariants the log keeps (and `log verify` checks):
--  * ledger_head.tree_size = N means entries 0..N-1 and stored hashes 0..StoredHashCount(N)-1
--    are all present; they are written in the same transaction that raises tree_size.
--  * Rows are only ever inserted, never updated or deleted (the head's tree_size only grows).
--  * Appenders lock the one head row (SELECT ... FOR UPDATE), so several processes sharing the
--    database append one after the other.

CREATE TABLE ledger_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT  NOT NULL CHECK (tree_size >= 0)
);
INSERT INTO ledger_head (id, tree_size) VALUES (1, 0);

-- One row per log entry; record = ProvenanceRecord.canonicalJson(), the exact bytes hashed into
-- the tree; leaf_hash = SHA-256(0x00 || record). content_id and sha256 repeat fields of the record
-- for lookups.
CREATE TABLE ledger_entries (
    idx        BIGINT       PRIMARY KEY,
    content_id VARCHAR(256) NOT NULL,
    sha256     BYTEA        NOT NULL,
    record     BYTEA        NOT NULL,
    leaf_hash  BYTEA        NOT NULL,
    CONSTRAINT ledger_entries_content_id UNIQUE (content_id)
);
CREATE INDEX ledger_entries_sha256 ON ledger_entries (sha256);

-- The Merkle tree's stored hashes, keyed by stored hash index (Tlog.storedHashIndex, as Go's
-- tlog.StoredHashIndex): leaves and every complete subtree, in the order they were written.
CREATE TABLE ledger_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA  NOT NULL
);

-- Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note), one per tree size signed.
CREATE TABLE ledger_checkpoints (
    tree_size BIGINT        PRIMARY KEY,
    root_hash BYTEA         NOT NULL,
    note      VARCHAR(4096) NOT NULL
);
