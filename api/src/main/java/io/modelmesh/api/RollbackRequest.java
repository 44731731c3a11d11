package io.modelmesh.api;

/**
 * {@code POST /deployments/{model}/rollback}: with {@code toRevision}, restore the traffic split that revision had (as a
 * new revision); without, roll back the running canary, or when there is none, return to the revision before the
 * current one.
 */
public record RollbackRequest(Long toRevision) {
}
