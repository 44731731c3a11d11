package io.modelmesh.controlplane.cluster;

/**
 * Proof of holding a lease, checked inside the transactions of the holder's writes: a write whose fence is no longer
 * the lease's (another process took it over since) fails and changes nothing.
 */
public record Fence(String lease, String holder, long token) {
}
