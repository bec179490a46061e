-- The privacy vault (package dev.yuanjian.privacy.vault): placeholder maps of conversations that
-- span requests. No column holds an original value or a conversation id in clear:
--  * conversation = HMAC(vault key, owner NUL conversation id), hex;
--  * lookup       = HMAC(vault key, type NUL normalised value), hex: finding an existing original
--                   needs no decryption;
--  * subject      = HMAC(vault key, normalised value), hex: one per person's value, whatever its type;
--  * sealed       = AES-256-GCM(subject's data key, original), nonce first, the associated data
--                   binding conversation, type and number;
--  * wrapped_key  = AES-256-GCM(vault key, subject's data key). Forgetting a subject deletes its
--                   rows and this key (crypto-shredding).
-- Times are milliseconds since the epoch; rows unused for the time-to-live are purged.

CREATE TABLE privacy_vault_key (
    id        INTEGER  PRIMARY KEY CHECK (id = 1),
    key_check CHAR(64) NOT NULL
);

CREATE TABLE privacy_subjects (
    subject      CHAR(64) PRIMARY KEY,
    wrapped_key  BYTEA    NOT NULL,
    last_used_ms BIGINT   NOT NULL
);

CREATE TABLE privacy_entries (
    conversation CHAR(64)    NOT NULL,
    type         VARCHAR(32) NOT NULL,
    num          INTEGER     NOT NULL,
    lookup       CHAR(64)    NOT NULL,
    subject      CHAR(64)    NOT NULL,
    sealed       BYTEA       NOT NULL,
    last_used_ms BIGINT      NOT NULL,
    PRIMARY KEY (conversation, type, num),
    CONSTRAINT privacy_entries_lookup UNIQUE (conversation, lookup)
);
CREATE INDEX privacy_entries_subject ON privacy_entries (subject);
CREATE INDEX privacy_entries_last_used ON privacy_entries (last_used_ms);

-- The last number issued per conversation and type; kept while any entry of the conversation lives,
-- so that a number is never issued twice in a conversation.
CREATE TABLE privacy_counters (
    conversation CHAR(64)    NOT NULL,
    type         VARCHAR(32) NOT NULL,
    last_num     INTEGER     NOT NULL,
    last_used_ms BIGINT      NOT NULL,
    PRIMARY KEY (conversation, type)
);

-- Placeholder-shaped literals the user wrote in a conversation: never issued for a value.
CREATE TABLE privacy_reserved (
    conversation CHAR(64)    NOT NULL,
    type         VARCHAR(32) NOT NULL,
    num          INTEGER     NOT NULL,
    last_used_ms BIGINT      NOT NULL,
    PRIMARY KEY (conversation, type, num)
);
