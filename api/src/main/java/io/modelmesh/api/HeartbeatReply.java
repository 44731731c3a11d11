package io.modelmesh.api;

/**
 * The control plane's answer to a heartbeat or registration.
 *
 * @param latestRevision newest routing revision; a node behind it fetches {@code GET /routing} (catch-up after a missed push)
 * @param known          false when the control plane does not know the node (it then re-registers)
 */
public record HeartbeatReply(long latestRevision, boolean known) {
}
