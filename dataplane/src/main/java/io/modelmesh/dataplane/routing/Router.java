package io.modelmesh.dataplane.routing;

import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;

import java.util.List;

/**
 * Picks the version that answers a request. Pure: the caller supplies the random draw, so tests fix it. An explicit
 * version wins; otherwise the draw in [0, 100) falls into the cumulative weights of the routed targets.
 */
public final class Router {
    private Router() {
    }

    /**
     * @param table   what the node serves
     * @param model   requested model
     * @param version requested version, or null for the routed one
     * @param draw    uniform value in [0, 100)
     */
    public static ServedVersion pick(ServingTable table, String model, String version, double draw) {
        ServedModel served = table.models().get(model);
        if (served == null) {
            throw new NotFoundException("model '" + model + "' is not deployed on this node (serving: "
                    + table.models().keySet().stream().sorted().toList() + ")");
        }
        if (version != null) {
            ServedVersion v = served.versions().get(version);
            if (v == null) {
                throw new NotFoundException("version '" + version + "' of model '" + model + "' is not deployed "
                        + "(deployed: " + served.versions().keySet().stream().sorted().toList() + ")");
            }
            return v;
        }
        List<ServedVersion> weighted = served.weighted();
        if (weighted.isEmpty()) {
            throw new UnavailableException("model '" + model + "' has no version taking traffic");
        }
        int total = 0;
        for (ServedVersion v : weighted) {
            total += v.target().weight();
        }
        double point = draw * total / 100.0;
        int cumulative = 0;
        for (ServedVersion v : weighted) {
            cumulative += v.target().weight();
            if (point < cumulative) {
                return v;
            }
        }
        return weighted.getLast();
    }
}
