-- Issue 4: canary rollouts. A rollout is started by a revision whose spec is a canary and moved on (steps, promotion,
-- automatic rollback) by the rollout controller, which changes its row in the same transaction as the revision it
-- writes. Conditional updates (WHERE state = 'RUNNING' AND step_index = ?) make a repeated tick harmless.
CREATE TABLE rollouts (
    id                    bigserial   PRIMARY KEY,
    model                 text        NOT NULL REFERENCES models (name),
    stable_version        text        NOT NULL,
    canary_version        text        NOT NULL,
    state                 text        NOT NULL CHECK (state IN ('RUNNING', 'PROMOTED', 'ROLLED_BACK', 'ABORTED')),
    percent               integer     NOT NULL CHECK (percent BETWEEN 0 AND 100),
    steps                 jsonb       NOT NULL DEFAULT '[]'::jsonb,
    step_index            integer     NOT NULL DEFAULT 0 CHECK (step_index >= 0),
    step_interval_seconds integer     NOT NULL CHECK (step_interval_seconds > 0),
    analysis              jsonb       NOT NULL,
    reason                text,
    revision              bigint      NOT NULL,
    created_by            text        NOT NULL,
    started_at            timestamptz NOT NULL,
    step_started_at       timestamptz NOT NULL,
    finished_at           timestamptz,
    updated_at            timestamptz NOT NULL,
    CHECK ((state = 'RUNNING') = (finished_at IS NULL))
);
-- At most one running rollout per model.
CREATE UNIQUE INDEX rollouts_one_running_per_model ON rollouts (model) WHERE state = 'RUNNING';
CREATE INDEX rollouts_model_id_idx ON rollouts (model, id DESC);
