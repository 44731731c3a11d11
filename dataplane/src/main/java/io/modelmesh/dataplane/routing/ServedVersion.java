package io.modelmesh.dataplane.routing;

import io.modelmesh.api.RouteTarget;
import io.modelmesh.dataplane.inference.ModelHandle;

/** One version a node serves: its routing entry and the loaded model behind it. */
public record ServedVersion(String model, RouteTarget target, ModelHandle handle) {
    public String version() {
        return target.version();
    }
}
