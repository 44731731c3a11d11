-- Issue 12: drift detection. Nodes sample feature rows off the request path and send them with their outcome
-- reports; the control plane keeps, per model version, a reference (rows given at registration, or the first
-- `window` rows the version served) and its current window (the last `window` rows), and compares them (PSI + KS).
-- Rows are float32, little-endian, row-major, as wide as the version's drift columns (`columns`).
CREATE TABLE drift_versions (
    model          text        NOT NULL,
    version        text        NOT NULL,
    columns        jsonb       NOT NULL,                 -- column names, in row order
    source         text        NOT NULL CHECK (source IN ('file', 'served')),
    reference      bytea       NOT NULL,                 -- the reference rows
    reference_rows integer     NOT NULL CHECK (reference_rows >= 0),
    target_rows    integer     NOT NULL CHECK (target_rows > 0), -- rows a served reference fills up to
    complete       boolean     NOT NULL,                 -- the reference is final (a file's always is)
    reference_sha256 char(64),                           -- of the uploaded file; NULL for a served reference
    rows_served    bigint      NOT NULL DEFAULT 0 CHECK (rows_served >= 0),  -- rows nodes served (sampled or not)
    rows_received  bigint      NOT NULL DEFAULT 0 CHECK (rows_received >= 0), -- sampled rows nodes sent
    rows_dropped   bigint      NOT NULL DEFAULT 0 CHECK (rows_dropped >= 0),
    rows_rejected  bigint      NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0), -- of another width than `columns`
    evaluated_at   timestamptz,                          -- the last evaluation, NULL before the first
    drifted        boolean,
    current_rows   integer,                              -- rows in the window that evaluation compared
    results        jsonb,                                -- per feature: psi, ks_statistic, ks_p_value, drifted
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version),
    CHECK (octet_length(reference) = reference_rows * jsonb_array_length(columns) * 4)
);

-- The current window as it arrived: one chunk of rows per (report, version), in arrival order (seq). Chunks whose
-- rows have all left the window are deleted as new ones arrive, so a version keeps about `window` rows here.
CREATE TABLE drift_window_chunks (
    seq         bigserial   PRIMARY KEY,
    model       text        NOT NULL,
    version     text        NOT NULL,
    rows_count  integer     NOT NULL CHECK (rows_count > 0),
    data        bytea       NOT NULL,                 -- the rows
    received_at timestamptz NOT NULL,
    FOREIGN KEY (model, version) REFERENCES drift_versions (model, version) ON DELETE CASCADE
);
CREATE INDEX drift_window_chunks_version_idx ON drift_window_chunks (model, version, seq);
