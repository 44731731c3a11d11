package io.modelmesh.dataplane.routing;

import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.batching.Batcher;
import io.modelmesh.dataplane.inference.ModelHandle;

/**
 * One version a node serves: its routing entry, the loaded model behind it, and how it is served.
 *
 * @param policy  the model route's batching and cache settings
 * @param batcher the version's batcher when the policy batches, else null (requests call the engine themselves)
 */
public record ServedVersion(String model, RouteTarget target, ModelHandle handle, ServingPolicy policy,
                            Batcher batcher) {
    public ServedVersion(String model, RouteTarget target, ModelHandle handle) {
        this(model, target, handle, ServingPolicy.defaults(), null);
    }

    public String version() {
        return target.version();
    }
}
