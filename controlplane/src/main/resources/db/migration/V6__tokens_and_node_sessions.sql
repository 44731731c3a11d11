-- Scoped API tokens (issue 10). Only the SHA-256 of a token is stored; the token itself is shown once, at creation.
-- Revoked tokens stay (audit) but free their name for reuse.
CREATE TABLE api_tokens (
    id              bigserial   PRIMARY KEY,
    name            text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    token_hash      char(64)    NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    scopes          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    expires_at      timestamptz,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    rate_per_second double precision CHECK (rate_per_second IS NULL OR rate_per_second > 0),
    rate_burst      integer     CHECK (rate_burst IS NULL OR rate_burst > 0)
);
CREATE UNIQUE INDEX api_tokens_active_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

-- A node's session, agreed when it joins with the join token: the control plane keeps the session token's hash (to
-- authenticate the node's calls) and the key it signs routing pushes to the node with (derived from the token, so the
-- row alone cannot be replayed as the node's credential).
ALTER TABLE nodes ADD COLUMN session_hash char(64);
ALTER TABLE nodes ADD COLUMN push_key char(64);
CREATE UNIQUE INDEX nodes_session_hash_idx ON nodes (session_hash);
