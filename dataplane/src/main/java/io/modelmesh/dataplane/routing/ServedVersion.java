package io.modelmesh.dataplane.routing;

import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.admission.Admission;
import io.modelmesh.dataplane.batching.Batcher;
import io.modelmesh.dataplane.inference.ModelHandle;

/**
 * One version a node serves: its routing entry, the loaded model behind it, and how it is served.
 *
 * @param policy    the model route's batching, cache, admission and fallback settings
 * @param batcher   the version's batcher when the policy batches, else null (requests call the engine themselves)
 * @param admission the version's admission gate and fallback (every request goes through the gate, batched or not)
 */
public record ServedVersion(String model, RouteTarget target, ModelHandle handle, ServingPolicy policy,
                            Batcher batcher, Admission admission) {
    public ServedVersion(String model, RouteTarget target, ModelHandle handle) {
        this(model, target, handle, ServingPolicy.defaults(), null, Admission.forTests());
    }

    public String version() {
        return target.version();
    }
}
