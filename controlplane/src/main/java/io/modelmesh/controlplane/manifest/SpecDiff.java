package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.Durations;
import io.modelmesh.api.AbArm;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changes between a model's current deployment and a desired one, as lines for people (pure):
 * {@code spec.strategy: full -> canary}, {@code spec.canary.version: (none) -> 1.1.0}, and the traffic split
 * {@code traffic: 1.0.0 100% -> 1.0.0 95%, 1.1.0 5% (canary)}.
 */
public final class SpecDiff {
    static final String NONE = "(none)";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.modelmesh.api.Json.mapper();

    private SpecDiff() {
    }

    /**
     * @param before      the current spec (null: never deployed, or a revision written before specs were kept)
     * @param beforeRoute the current route (null: never deployed)
     */
    public static List<String> lines(DeploymentSpec before, ModelRoute beforeRoute, DeploymentSpec after,
                                     ModelRoute afterRoute) {
        Map<String, String> was = flatten(before);
        Map<String, String> will = flatten(after);
        Set<String> keys = new LinkedHashSet<>(will.keySet());
        keys.addAll(was.keySet());
        List<String> lines = new ArrayList<>();
        for (String key : keys.stream().sorted(java.util.Comparator.comparingInt(SpecDiff::rank)).toList()) {
            String from = was.getOrDefault(key, NONE);
            String to = will.getOrDefault(key, NONE);
            if (!from.equals(to)) {
                lines.add(key + ": " + from + " -> " + to);
            }
        }
        String fromTraffic = traffic(beforeRoute);
        String toTraffic = traffic(afterRoute);
        if (!fromTraffic.equals(toTraffic)) {
            lines.add("traffic: " + fromTraffic + " -> " + toTraffic);
        }
        return lines;
    }

    /** A route's split: {@code 1.0.0 95%, 1.1.0 5% (canary)}; a shadow reads {@code 1.1.0 mirrors 100% (shadow)}. */
    public static String traffic(ModelRoute route) {
        if (route == null || route.targets().isEmpty()) {
            return NONE;
        }
        return route.targets().stream().map(SpecDiff::target).collect(Collectors.joining(", "));
    }

    private static String target(RouteTarget t) {
        String fault = t.fault() == null ? "" : " [fault injected]";
        return switch (t.role()) {
            case STABLE -> t.version() + " " + t.weight() + "%" + fault;
            case CANARY -> t.version() + " " + t.weight() + "% (canary)" + fault;
            case ARM -> t.version() + " " + t.weight() + "% (arm)" + fault;
            case SHADOW -> t.version() + " mirrors " + t.weight() + "% (shadow)" + fault;
        };
    }

    /** The spec's fields by path, in manifest spelling; absent fields are left out. */
    static Map<String, String> flatten(DeploymentSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null) {
            return out;
        }
        put(out, "spec.strategy", spec.strategy() == null ? null : spec.strategy().wireName());
        put(out, "spec.stable", spec.stable());
        CanarySpec c = spec.canary();
        if (c != null) {
            put(out, "spec.canary.version", c.version());
            put(out, "spec.canary.percent", c.percent());
            put(out, "spec.canary.steps", c.steps().isEmpty() ? null : c.steps().toString());
            put(out, "spec.canary.stepInterval", c.stepIntervalSeconds() == null ? null
                    : Durations.format(c.stepIntervalSeconds()));
            AnalysisPolicy a = c.analysis();
            if (a != null) {
                put(out, "spec.canary.analysis.maxErrorRate", number(a.maxErrorRate()));
                put(out, "spec.canary.analysis.maxP99Ms", number(a.maxP99Ms()));
                put(out, "spec.canary.analysis.minRequests", a.minRequests());
                put(out, "spec.canary.analysis.window", a.windowSeconds() == null ? null
                        : Durations.format(a.windowSeconds()));
                put(out, "spec.canary.analysis.maxPsi", number(a.maxPsi()));
            }
        }
        if (spec.shadow() != null) {
            put(out, "spec.shadow.version", spec.shadow().version());
            put(out, "spec.shadow.percent", spec.shadow().percent());
        }
        if (spec.ab() != null) {
            put(out, "spec.ab.stickyKey", spec.ab().stickyKey());
            put(out, "spec.ab.arms", spec.ab().arms().stream().filter(Objects::nonNull)
                    .map(SpecDiff::arm).collect(Collectors.joining(", ")));
        }
        ServingPolicy s = spec.serving();
        put(out, "spec.serving.maxBatchSize", s.maxBatchSize());
        put(out, "spec.serving.maxLatencyMs", s.maxLatencyMs());
        put(out, "spec.serving.cacheTtlSeconds", s.cacheTtlSeconds());
        put(out, "spec.serving.maxConcurrency", s.maxConcurrency() == 0 ? null : s.maxConcurrency());
        put(out, "spec.serving.maxQueue", s.maxQueue() == 0 ? null : s.maxQueue());
        put(out, "spec.serving.timeout", s.timeoutMs() == 0 ? null : Durations.formatMillis(s.timeoutMs()));
        put(out, "spec.serving.fallback", s.fallback() == ServingPolicy.Fallback.NONE ? null : s.fallback().wireName());
        put(out, "spec.serving.defaultOutput", s.defaultOutput() == null ? null : json(s.defaultOutput()));
        put(out, "spec.drift.window", spec.drift().window());
        return out;
    }

    private static final List<String> ORDER = List.of("spec.strategy", "spec.stable", "spec.canary.version",
            "spec.canary.percent", "spec.canary.steps", "spec.canary.stepInterval", "spec.canary.analysis.maxErrorRate",
            "spec.canary.analysis.maxP99Ms", "spec.canary.analysis.minRequests", "spec.canary.analysis.window",
            "spec.canary.analysis.maxPsi",
            "spec.shadow.version", "spec.shadow.percent", "spec.ab.stickyKey", "spec.ab.arms",
            "spec.serving.maxBatchSize", "spec.serving.maxLatencyMs", "spec.serving.cacheTtlSeconds",
            "spec.serving.maxConcurrency", "spec.serving.maxQueue", "spec.serving.timeout", "spec.serving.fallback",
            "spec.serving.defaultOutput", "spec.drift.window");

    private static int rank(String key) {
        int i = ORDER.indexOf(key);
        return i < 0 ? ORDER.size() : i;
    }

    private static String arm(AbArm a) {
        return a.version() + " " + a.weight() + "%";
    }

    private static String number(Double d) {
        if (d == null) {
            return null;
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    /** A default output as the JSON a node answers with. */
    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a validated default output did not serialise", e);
        }
    }

    private static void put(Map<String, String> out, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            out.put(key, value.toString());
        }
    }
}
