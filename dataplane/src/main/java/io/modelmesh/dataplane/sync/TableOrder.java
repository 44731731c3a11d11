package io.modelmesh.dataplane.sync;

import io.modelmesh.api.RoutingTable;

import java.util.Objects;

/**
 * Whether a node moves from the table it serves to one its control plane gave (through the authenticated channel).
 * Pure. Within one identity (cluster id and epoch) revisions only grow. A table of another cluster, or of a newer
 * epoch of the node's cluster, is adopted whatever its revision number: the control plane's database was replaced or
 * restored, and its revisions started again. Except an empty one: a control plane of another identity that has
 * written nothing yet (revision 0) is not followed, so pointing a fleet at an empty database by mistake does not take
 * every model off it; its first revision is adopted. A table of an older epoch of the node's cluster is refused.
 */
public final class TableOrder {
    private TableOrder() {
    }

    /** What to do with an offered table. */
    public enum Decision {
        /** A newer revision of the same identity: switch. */
        NEWER,
        /** Another identity's (or a newer epoch's) table with something deployed: switch, whatever its revision. */
        ADOPT,
        /** The same revision and content: nothing to do. */
        SAME,
        /** An older revision of the same identity, or an older epoch: keep serving. */
        OLDER,
        /** Another identity with nothing deployed yet: keep serving what the node has. */
        EMPTY_STRANGER
    }

    public static Decision decide(RoutingTable serving, RoutingTable offered) {
        boolean sameCluster = Objects.equals(serving.clusterId(), offered.clusterId());
        if (serving.clusterId() == null && serving.revision() == 0) {
            return offered.revision() == 0 && offered.models().isEmpty() ? Decision.SAME : Decision.ADOPT;
        }
        if (!sameCluster || offered.epoch() > serving.epoch()) {
            if (offered.clusterId() == null) {
                return Decision.OLDER; // a control plane from before identities: not one this node can compare
            }
            return offered.revision() == 0 ? Decision.EMPTY_STRANGER : Decision.ADOPT;
        }
        if (offered.epoch() < serving.epoch() || offered.revision() < serving.revision()) {
            return Decision.OLDER;
        }
        if (offered.revision() == serving.revision() && offered.models().equals(serving.models())) {
            return Decision.SAME;
        }
        return Decision.NEWER;
    }

    /** Whether a control plane announcing {@code revision} of {@code cluster}/{@code epoch} has a table to fetch. */
    public static boolean worthFetching(RoutingTable serving, String cluster, long epoch, long revision) {
        if (cluster == null) {
            return revision > serving.revision();
        }
        if (!cluster.equals(serving.clusterId()) || epoch > serving.epoch()) {
            return revision > 0;
        }
        return epoch == serving.epoch() && revision > serving.revision();
    }
}
