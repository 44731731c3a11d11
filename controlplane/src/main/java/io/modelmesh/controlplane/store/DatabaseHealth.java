package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.modelmesh.controlplane.cluster.ClusterIdentity;
import io.modelmesh.controlplane.cluster.IdentityStore;
import io.modelmesh.controlplane.cluster.Leadership;

import java.util.Map;

/**
 * The control plane's health: it is live while it answers, ready while its database answers; it also says which
 * process this is and whether it leads (runs the rollout controller), and the cluster's identity when the database
 * answers.
 */
public final class DatabaseHealth {
    private final IdentityStore identity;
    private final Leadership leadership;

    public DatabaseHealth(IdentityStore identity, Leadership leadership) {
        this.identity = identity;
        this.leadership = leadership;
    }

    /**
     * The {@code GET /health} document: {@code {"status":"UP","live":true,"ready":true,"checks":{"database":"UP"},
     * "instance":"cp-...","leader":true,"cluster_id":"...","epoch":1}}.
     */
    public record Report(String status, boolean live, boolean ready, Map<String, String> checks, String message,
                         String instance, boolean leader, String clusterId, Long epoch) {
        @JsonIgnore
        public boolean up() {
            return ready;
        }
    }

    public Report check() {
        try {
            ClusterIdentity id = identity.current(); // reads the database: the check
            return new Report("UP", true, true, Map.of("database", "UP"), null, leadership.holder(),
                    leadership.leading(), id.clusterId(), id.epoch());
        } catch (RuntimeException e) {
            return new Report("DOWN", true, false, Map.of("database", "DOWN"),
                    "database check failed: " + rootMessage(e) + "; changes are refused until it answers again, "
                            + "nodes keep serving their last routing table", leadership.holder(),
                    leadership.leading(), null, null);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
