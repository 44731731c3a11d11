package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code GET /monitoring/traffic/{model}}: per version of the current route (and any with requests) its stats. */
public final class TrafficReports {
    /** Length of the "recent" window. */
    public static final int RECENT_SECONDS = 60;

    private final OutcomeStore windows;

    public TrafficReports(OutcomeStore windows) {
        this.windows = windows;
    }

    /** The model's statistics for its current route and revision. */
    public TrafficStats stats(ModelRoute route, long revision, Instant now) {
        String model = route.model();
        Map<String, RouteTarget> routed = new LinkedHashMap<>();
        route.targets().forEach(t -> routed.put(t.version(), t));
        Map<String, CanaryWindow> totals = windows.totals(model);
        List<String> versions = new ArrayList<>(routed.keySet());
        totals.keySet().stream().filter(v -> !routed.containsKey(v)).forEach(versions::add);
        List<VersionStats> out = new ArrayList<>();
        for (String v : versions) {
            RouteTarget t = routed.get(v);
            CanaryWindow total = totals.getOrDefault(v, CanaryWindow.empty(0));
            CanaryWindow recent = windows.window(model, v, RECENT_SECONDS, now);
            out.add(new VersionStats(v, t == null ? null : t.role(), t == null ? null : t.weight(), total.requests(),
                    total.errors(), total.errorRate(), quantile(total, 0.50), quantile(total, 0.95),
                    quantile(total, 0.99), recent.requests(), recent.errors(), quantile(recent, 0.99)));
        }
        Instant since = windows.since(model);
        return new TrafficStats(model, revision, since, RECENT_SECONDS, out);
    }

    private static Double quantile(CanaryWindow w, double q) {
        return w.latency().count() == 0 ? null : w.latency().quantileMs(q);
    }
}
