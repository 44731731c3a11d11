-- Issue 4: shadow comparisons. Nodes compare a shadow version's answers with the ones users got and report counters
-- (and a few sampled diffs) about every second; the control plane sums them per comparison. A comparison is one
-- (model, shadow version, primary version) since the shadow started; starting a new shadow closes the model's older
-- comparisons (active = false) and opens a fresh one.
CREATE TABLE shadow_comparisons (
    id                   bigserial        PRIMARY KEY,
    model                text             NOT NULL,
    shadow_version       text             NOT NULL,
    primary_version      text             NOT NULL,
    started_at           timestamptz      NOT NULL,
    updated_at           timestamptz      NOT NULL,
    active               boolean          NOT NULL,
    mirrored             bigint           NOT NULL DEFAULT 0 CHECK (mirrored >= 0),
    dropped              bigint           NOT NULL DEFAULT 0 CHECK (dropped >= 0),
    failed               bigint           NOT NULL DEFAULT 0 CHECK (failed >= 0),
    compared             bigint           NOT NULL DEFAULT 0 CHECK (compared >= 0),
    label_comparisons    bigint           NOT NULL DEFAULT 0 CHECK (label_comparisons >= 0),
    label_agreements     bigint           NOT NULL DEFAULT 0 CHECK (label_agreements >= 0),
    numeric_values       bigint           NOT NULL DEFAULT 0 CHECK (numeric_values >= 0),
    sum_abs_diff         double precision NOT NULL DEFAULT 0,
    max_abs_diff         double precision NOT NULL DEFAULT 0,
    sum_latency_delta_ms double precision NOT NULL DEFAULT 0
);
-- at most one active comparison per (model, shadow, primary): concurrent reports add to the same row
CREATE UNIQUE INDEX shadow_comparisons_active_key ON shadow_comparisons (model, shadow_version, primary_version)
    WHERE active;
CREATE INDEX shadow_comparisons_model_idx ON shadow_comparisons (model, started_at DESC, id);

-- Sampled comparisons, the newest 200 per comparison kept (older ones are deleted as new ones arrive).
CREATE TABLE shadow_samples (
    id              bigserial        PRIMARY KEY,
    comparison_id   bigint           NOT NULL REFERENCES shadow_comparisons (id) ON DELETE CASCADE,
    at              timestamptz      NOT NULL,
    node_id         text             NOT NULL,
    request_id      text,
    input           text,
    primary_output  text,
    shadow_output   text,
    shadow_error    text,
    labels_agree    boolean,
    max_abs_diff    double precision, -- NULL: no numeric output compared
    primary_ms      double precision NOT NULL,
    shadow_ms       double precision NOT NULL
);
CREATE INDEX shadow_samples_comparison_idx ON shadow_samples (comparison_id, at DESC, id DESC);
