package io.modelmesh.controlplane.monitoring;

import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionLatency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds {@code GET /monitoring/latency[/{model}]} from the {@link LatencyWindows} and the current routing table: the
 * versions of a model's route first (with role and weight, empty windows when they had no request), then any other
 * version that served within 15 minutes.
 */
public final class LatencyReports {
    private final LatencyWindows windows;

    public LatencyReports(LatencyWindows windows) {
        this.windows = windows;
    }

    /** One model's report; {@code route} may be null (never deployed). */
    public LatencyReport of(String model, ModelRoute route, Instant now) {
        Map<String, List<LatencyWindow>> measured = windows.windows(model, now);
        Map<String, RouteTarget> routed = new LinkedHashMap<>();
        if (route != null) {
            route.targets().forEach(t -> routed.put(t.version(), t));
        }
        List<VersionLatency> versions = new ArrayList<>();
        routed.forEach((v, t) -> versions.add(new VersionLatency(v, t.role(), t.weight(),
                measured.getOrDefault(v, LatencyWindows.empty()))));
        measured.forEach((v, w) -> {
            if (!routed.containsKey(v)) {
                versions.add(new VersionLatency(v, null, null, w));
            }
        });
        return new LatencyReport(model, now, versions);
    }

    /** Every model in the routing table or with requests in the last 15 minutes, by name. */
    public List<LatencyReport> all(RoutingTable table, Instant now) {
        TreeSet<String> names = new TreeSet<>(table.models().keySet());
        names.addAll(windows.models(now));
        List<LatencyReport> out = new ArrayList<>(names.size());
        for (String model : names) {
            out.add(of(model, table.models().get(model), now));
        }
        return out;
    }
}
