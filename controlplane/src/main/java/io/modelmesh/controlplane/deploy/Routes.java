package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ServingPolicy;

import java.util.List;

/** Route values for deployment changes (pure). */
public final class Routes {
    private Routes() {
    }

    /** All of a model's traffic to one version, served with the default policy. */
    public static ModelRoute fullTraffic(ModelVersion v) {
        return fullTraffic(v, ServingPolicy.defaults());
    }

    /** All of a model's traffic to one version, served with {@code policy}. */
    public static ModelRoute fullTraffic(ModelVersion v, ServingPolicy policy) {
        return new ModelRoute(v.model(), List.of(new RouteTarget(v.version(), v.framework(), v.servedSha256(),
                v.servedSizeBytes(), 100, RouteTarget.Role.STABLE, v.schema())), null, policy);
    }

    /** The one-line description of a full rollout, as history shows it. */
    public static String fullTrafficChange(String version) {
        return fullTrafficChange(version, ServingPolicy.defaults());
    }

    /** The same, naming the drift window too when it is not the default. */
    public static String fullTrafficChange(String version, ServingPolicy policy, DriftPolicy drift) {
        String change = fullTrafficChange(version, policy);
        return drift.equals(DriftPolicy.defaults()) ? change : change + " (drift window " + drift.window() + " rows)";
    }

    /** The same, naming the serving settings when they are not the defaults. */
    public static String fullTrafficChange(String version, ServingPolicy policy) {
        String change = "deploy " + version + " at 100%";
        if (policy.equals(ServingPolicy.defaults())) {
            return change;
        }
        return change + " (" + policy.summary() + ")";
    }
}
