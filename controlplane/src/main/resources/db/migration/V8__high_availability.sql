-- Issue 11: the control plane's identity, two-phase routing pushes, a highly available control plane.

-- The control plane's identity: one row, written by the first control plane that starts on this database (with a
-- random cluster id). A node adopts the routing table of another cluster, or of a newer epoch of its own cluster,
-- whatever its own revision number. The epoch is bumped when a node of this cluster shows a revision this database
-- never reached (it was restored from an older backup, or its newest revisions were deleted): docs/reliability.md.
CREATE TABLE cluster_identity (
    singleton     boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_id    uuid        NOT NULL,
    epoch         bigint      NOT NULL CHECK (epoch >= 1),
    created_at    timestamptz NOT NULL,
    epoch_since   timestamptz NOT NULL,
    epoch_reason  text        NOT NULL
);

-- What each node acknowledged serving (its heartbeat is the acknowledgement): serving_revision counts only for a table
-- of this cluster and epoch (0 otherwise); failed holds the models of that revision it serves on older targets.
ALTER TABLE nodes ADD COLUMN failed jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE nodes ADD COLUMN cluster_id uuid;
ALTER TABLE nodes ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN acked_at timestamptz;
-- How long ago the node last had all its outcome reports delivered (canary analysis counts a silent node as failing).
ALTER TABLE nodes ADD COLUMN outcomes_lag_ms bigint;

-- Leases held by one control plane at a time (the rollout controller and the other jobs that must not run twice).
-- token is the fencing token: it grows with every new holder, and a holder's writes check it in their transaction.
CREATE TABLE leases (
    name         text        PRIMARY KEY,
    holder       text        NOT NULL,
    token        bigint      NOT NULL CHECK (token >= 1),
    acquired_at  timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- Canary analysis and traffic statistics, shared by every control plane: nodes report to any of them.
-- The revision a model's current strategy started at; reports from nodes serving an older revision are left out.
CREATE TABLE outcome_strategies (
    model          text        PRIMARY KEY,
    from_revision  bigint      NOT NULL,
    since          timestamptz NOT NULL
);
-- Per second (of the report's end), model, version and the revision the reporting node served: the sum of reports.
-- latency holds the LatencyHistogram bucket counts. Kept for an hour (AnalysisPolicy.MAX_HISTORY_SECONDS).
CREATE TABLE outcome_seconds (
    model       text             NOT NULL,
    version     text             NOT NULL,
    second      bigint           NOT NULL,
    revision    bigint           NOT NULL,
    requests    bigint           NOT NULL CHECK (requests >= 0),
    errors      bigint           NOT NULL CHECK (errors >= 0),
    latency     bigint[]         NOT NULL,
    latency_sum double precision NOT NULL,
    PRIMARY KEY (model, version, second, revision)
);
-- Totals per model and version since a strategy started (GET /monitoring/traffic/{model}).
CREATE TABLE outcome_totals (
    model          text             NOT NULL,
    version        text             NOT NULL,
    from_revision  bigint           NOT NULL,
    requests       bigint           NOT NULL CHECK (requests >= 0),
    errors         bigint           NOT NULL CHECK (errors >= 0),
    latency        bigint[]         NOT NULL,
    latency_sum    double precision NOT NULL,
    first_order    bigserial,
    PRIMARY KEY (model, version, from_revision)
);
