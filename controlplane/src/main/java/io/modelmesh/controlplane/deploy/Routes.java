package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;

import java.util.List;

/** Route values for deployment changes (pure). */
public final class Routes {
    private Routes() {
    }

    /** All of a model's traffic to one version. */
    public static ModelRoute fullTraffic(ModelVersion v) {
        return new ModelRoute(v.model(), List.of(new RouteTarget(v.version(), v.framework(), v.servedSha256(), v.servedSizeBytes(),
                100, RouteTarget.Role.STABLE, v.schema())), null);
    }

    /** The one-line description of a full rollout, as history shows it. */
    public static String fullTrafficChange(String version) {
        return "deploy " + version + " at 100%";
    }
}
