package io.modelmesh.controlplane.cluster;

/** A write of a lease holder found the lease taken over (its fencing token is stale): nothing was written. */
public final class NotLeaderException extends RuntimeException {
    public NotLeaderException(Fence fence) {
        super("the " + fence.lease() + " lease is no longer held by " + fence.holder() + " with token "
                + fence.token(), null, false, false);
    }
}
