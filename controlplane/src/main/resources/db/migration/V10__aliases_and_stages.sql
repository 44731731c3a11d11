-- Issue 15: aliases (a name pointing to one version, like MLflow's) and stages (staging, production, archived).

-- Every version carries a stage. A registered version starts as staging: it has served no live traffic yet. Rollouts
-- move stages (the stable version or an A/B arm of a revision becomes production; the production version it replaces,
-- once no longer routed, archived); users may set one by hand. Versions that serve as stable or A/B arm in their
-- model's latest revision now are production; every other version starts as staging.
ALTER TABLE model_versions ADD COLUMN stage text NOT NULL DEFAULT 'staging'
    CHECK (stage IN ('staging', 'production', 'archived'));

UPDATE model_versions v SET stage = 'production'
FROM (SELECT DISTINCT ON (model) model, route FROM deployments ORDER BY model, revision DESC) d,
     jsonb_array_elements(d.route -> 'targets') t
WHERE v.model = d.model AND v.version = t ->> 'version' AND t ->> 'role' IN ('STABLE', 'ARM')
  AND (t ->> 'weight')::integer > 0;

-- An alias names one version of its model; deleting the version (or the model) deletes its aliases.
CREATE TABLE model_aliases (
    model       text        NOT NULL,
    alias       text        NOT NULL CHECK (alias ~ '^[a-z][a-z0-9_-]{0,63}$'),
    version     text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version) ON DELETE CASCADE
);
CREATE INDEX model_aliases_version_idx ON model_aliases (model, version);
