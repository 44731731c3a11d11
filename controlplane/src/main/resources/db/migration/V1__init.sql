-- ModelMesh control plane schema, version 1: registry, artifacts, deployments (routing revisions), nodes.

CREATE TABLE models (
    name        text        PRIMARY KEY,
    framework   text        NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Content-addressed artifact store index: the bytes live in HOME/artifacts/<sha256>.
CREATE TABLE artifacts (
    sha256      char(64)    PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    created_at  timestamptz NOT NULL
);

-- Immutable versions: (model, version) never changes its bytes.
CREATE TABLE model_versions (
    model       text        NOT NULL REFERENCES models (name),
    version     text        NOT NULL,
    major       integer     NOT NULL CHECK (major >= 0),
    minor       integer     NOT NULL CHECK (minor >= 0),
    patch       integer     NOT NULL CHECK (patch >= 0),
    framework   text        NOT NULL,
    sha256      char(64)    NOT NULL REFERENCES artifacts (sha256),
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    schema      jsonb       NOT NULL,
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    parent      text,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    CONSTRAINT model_versions_model_version_key UNIQUE (model, version),
    CONSTRAINT model_versions_semver_key UNIQUE (model, major, minor, patch)
);
CREATE INDEX model_versions_sha256_idx ON model_versions (sha256);

-- Every change of a model's route is a row; its revision is the global routing-table revision it creates. The routing
-- table is, for each model, its latest row; the table's revision is max(revision).
CREATE TABLE deployments (
    revision    bigserial   PRIMARY KEY,
    model       text        NOT NULL REFERENCES models (name),
    route       jsonb       NOT NULL,
    change      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);
CREATE INDEX deployments_model_revision_idx ON deployments (model, revision DESC);

CREATE TABLE nodes (
    node_id          text        PRIMARY KEY,
    url              text        NOT NULL,
    serving_revision bigint      NOT NULL DEFAULT 0,
    registered_at    timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL
);
