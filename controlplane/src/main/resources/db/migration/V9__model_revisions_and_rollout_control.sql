-- Issue 15: revision numbers users see and pass are per model (1, 2, 3 for each model, as kubectl rollout history
-- shows them). The global routing revision (deployments.revision) stays what nodes track; model_revision is the
-- model's own count, assigned under the same advisory lock that serialises every writer of revisions.
ALTER TABLE deployments ADD COLUMN model_revision bigint;
UPDATE deployments d SET model_revision = n.r
FROM (SELECT revision, row_number() OVER (PARTITION BY model ORDER BY revision) AS r FROM deployments) n
WHERE d.revision = n.revision;
ALTER TABLE deployments ALTER COLUMN model_revision SET NOT NULL;
ALTER TABLE deployments ADD CONSTRAINT deployments_model_revision_positive CHECK (model_revision > 0);
CREATE UNIQUE INDEX deployments_model_model_revision_idx ON deployments (model, model_revision);

-- Issue 15: rollout control (mmctl rollout pause|resume). A paused rollout stays RUNNING (at most one per model) but
-- neither advances nor acts on its analysis until resumed.
ALTER TABLE rollouts ADD COLUMN paused_at timestamptz;
ALTER TABLE rollouts ADD COLUMN paused_by text;
ALTER TABLE rollouts ADD CONSTRAINT rollouts_paused_only_while_running CHECK (paused_at IS NULL OR state = 'RUNNING');
