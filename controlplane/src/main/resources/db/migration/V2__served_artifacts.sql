-- Version 2: a version can be served from another artifact than its upload (a scikit-learn pickle converted to PMML at
-- registration). Both files are content-addressed rows of `artifacts`; nodes only ever receive the served one.
ALTER TABLE model_versions
    ADD COLUMN served_sha256     char(64) REFERENCES artifacts (sha256),
    ADD COLUMN served_size_bytes bigint   CHECK (served_size_bytes >= 0),
    ADD COLUMN served_format     text,
    ADD COLUMN converter         text,
    ADD CONSTRAINT model_versions_served_complete CHECK (
        (served_sha256 IS NULL AND served_size_bytes IS NULL AND served_format IS NULL AND converter IS NULL)
        OR (served_sha256 IS NOT NULL AND served_size_bytes IS NOT NULL AND served_format IS NOT NULL
            AND converter IS NOT NULL));
CREATE INDEX model_versions_served_sha256_idx ON model_versions (served_sha256);
