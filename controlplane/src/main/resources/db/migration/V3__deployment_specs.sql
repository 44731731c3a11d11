-- Issue 4: every deployment revision records the desired state (manifest spec) it realises, so history, diff and
-- rollback speak one language whether the change came from a manifest, an imperative command or the rollout
-- controller. Revisions written before this migration have none (NULL).
ALTER TABLE deployments ADD COLUMN spec jsonb;
-- Where the revision came from: apply (manifest), cli/api (imperative), controller (canary steps, automatic rollback).
ALTER TABLE deployments ADD COLUMN source text NOT NULL DEFAULT 'api';
