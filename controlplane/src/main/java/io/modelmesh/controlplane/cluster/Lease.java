package io.modelmesh.controlplane.cluster;

import java.time.Instant;

/**
 * A lease as stored: who holds it, under which fencing token, until when.
 *
 * @param token the fencing token: it grows by one with every new holder, never with a renewal
 */
public record Lease(String name, String holder, long token, Instant acquiredAt, Instant expiresAt) {
}
