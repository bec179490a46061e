-- API keys of the gateway (dev.yuanjian.keys). A key is shown once at creation; only the SHA-256
-- of the whole key is kept: keys are 256-bit random strings, so a slow password hash would add
-- nothing but latency to every request.
CREATE TABLE api_keys (
    id                  VARCHAR(16)  NOT NULL PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    secret_sha256       CHAR(64)     NOT NULL UNIQUE,
    scopes              VARCHAR(100) NOT NULL,
    requests_per_minute INTEGER      NOT NULL DEFAULT 0,
    tokens_per_minute   INTEGER      NOT NULL DEFAULT 0,
    token_budget        BIGINT       NOT NULL DEFAULT 0,
    tokens_used         BIGINT       NOT NULL DEFAULT 0,
    created_ms          BIGINT       NOT NULL,
    revoked_ms          BIGINT
);
