package io.modelmesh.controlplane.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.api.ShadowSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest's {@code spec} into a {@link DeploymentSpec}, reporting shape problems (unknown fields, types,
 * durations, ranges the api records enforce) through {@link Fields}; the deployment rules are left to SpecRules.
 */
final class SpecReader {
    static final List<String> SPEC = List.of("strategy", "stable", "canary", "shadow", "ab", "serving", "drift",
            "allowSchemaChange");
    static final List<String> CANARY = List.of("version", "percent", "steps", "stepInterval", "analysis");
    static final List<String> ANALYSIS = List.of("maxErrorRate", "maxP99Ms", "minRequests", "window", "maxPsi");
    static final List<String> SHADOW = List.of("version", "percent");
    static final List<String> AB = List.of("stickyKey", "arms");
    static final List<String> ARM = List.of("version", "weight");
    static final List<String> SERVING = List.of("maxBatchSize", "maxLatencyMs", "cacheTtlSeconds", "maxConcurrency",
            "maxQueue", "timeout", "fallback", "defaultOutput");
    static final List<String> DRIFT = List.of("window");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.modelmesh.api.Json.mapper();
    private static final long DAY_SECONDS = 86_400;

    private SpecReader() {
    }

    /**
     * {@code spec.allowSchemaChange}: whether a canary, shadow or A/B arm may take another input than the stable
     * version (not part of the desired state: it only lets this change through).
     */
    static boolean allowSchemaChange(Fields f, JsonNode node) {
        return node instanceof ObjectNode spec && Boolean.TRUE.equals(f.bool(spec, "spec", "allowSchemaChange"));
    }

    /** The spec as far as it could be read, or null when there is none (reported). */
    static DeploymentSpec read(Fields f, JsonNode node) {
        ObjectNode spec = f.mapping(node, "spec", SPEC);
        if (spec == null) {
            if (!f.reported("spec")) {
                f.problem("spec", "is required: the deployment (strategy, stable, ...)");
            }
            return null;
        }
        return new DeploymentSpec(strategy(f, spec), f.version(spec, "spec", "stable"), canary(f, spec.get("canary")),
                shadow(f, spec.get("shadow")), ab(f, spec.get("ab")), serving(f, spec.get("serving")),
                drift(f, spec.get("drift")));
    }

    private static DeploymentSpec.Strategy strategy(Fields f, ObjectNode spec) {
        String s = f.text(spec, "spec", "strategy");
        if (s == null) {
            return null;
        }
        for (DeploymentSpec.Strategy strategy : DeploymentSpec.Strategy.values()) {
            if (strategy.wireName().equals(s)) {
                return strategy;
            }
        }
        f.problem("spec.strategy", "must be one of full, canary, shadow, ab; got \"" + s + "\"");
        return null;
    }

    private static CanarySpec canary(Fields f, JsonNode node) {
        String at = "spec.canary";
        ObjectNode c = f.mapping(node, at, CANARY);
        if (c == null) {
            return null;
        }
        List<Integer> steps = new ArrayList<>();
        List<JsonNode> items = f.list(c, at, "steps", "[5, 25, 50, 100]");
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                Integer step = f.whole(items.get(i), at + ".steps[" + i + "]");
                if (step != null) { // a null or a non-number is reported above; the spec is invalid either way
                    steps.add(step);
                }
            }
        }
        return new CanarySpec(f.version(c, at, "version"), f.whole(c, at, "percent"), steps,
                f.seconds(c, at, "stepInterval", DAY_SECONDS), analysis(f, c.get("analysis")));
    }

    private static AnalysisPolicy analysis(Fields f, JsonNode node) {
        String at = "spec.canary.analysis";
        ObjectNode a = f.mapping(node, at, ANALYSIS);
        if (a == null) {
            return null;
        }
        Double maxErrorRate = f.number(a, at, "maxErrorRate");
        if (maxErrorRate != null && !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            f.problem(at + ".maxErrorRate", "must be 0..1 (a share: 0.05 is 5 %), got " + maxErrorRate);
            maxErrorRate = null;
        }
        Double maxP99Ms = f.number(a, at, "maxP99Ms");
        if (maxP99Ms != null && !(maxP99Ms > 0)) {
            f.problem(at + ".maxP99Ms", "must be above 0 (milliseconds), got " + maxP99Ms);
            maxP99Ms = null;
        }
        Integer minRequests = f.whole(a, at, "minRequests", 1, 1_000_000, "canary requests before a verdict");
        Integer window = f.seconds(a, at, "window", 3600);
        Double maxPsi = f.number(a, at, "maxPsi");
        if (maxPsi != null && !(maxPsi > 0 && maxPsi <= AnalysisPolicy.MAX_PSI_LIMIT)) {
            f.problem(at + ".maxPsi", "must be above 0 and at most " + (int) AnalysisPolicy.MAX_PSI_LIMIT
                    + " (0.1 is a moderate, 0.2 a significant shift), got " + maxPsi);
            maxPsi = null;
        }
        return new AnalysisPolicy(maxErrorRate, maxP99Ms, minRequests, window, maxPsi);
    }

    private static ShadowSpec shadow(Fields f, JsonNode node) {
        ObjectNode s = f.mapping(node, "spec.shadow", SHADOW);
        return s == null ? null : new ShadowSpec(f.version(s, "spec.shadow", "version"),
                f.whole(s, "spec.shadow", "percent"));
    }

    private static AbSpec ab(Fields f, JsonNode node) {
        String at = "spec.ab";
        ObjectNode ab = f.mapping(node, at, AB);
        if (ab == null) {
            return null;
        }
        List<AbArm> arms = new ArrayList<>();
        List<JsonNode> items = f.list(ab, at, "arms", "[{version: 1.0.0, weight: 50}, {version: 1.1.0, weight: 50}]");
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                String armAt = at + ".arms[" + i + "]";
                ObjectNode arm = f.mapping(items.get(i), armAt, ARM);
                if (arm == null) {
                    if (!f.reported(armAt)) {
                        f.problem(armAt, "expected {version, weight}, got nothing");
                    }
                    continue; // reported: the spec is invalid, and an absent arm must not reach AbSpec as null
                }
                Integer weight = f.whole(arm, armAt, "weight");
                if (weight == null && !f.reported(armAt + ".weight")) {
                    f.problem(armAt + ".weight", "is required: the arm's share of users in percent, 1..99");
                }
                arms.add(new AbArm(f.version(arm, armAt, "version"), weight == null ? 0 : weight));
            }
        }
        return new AbSpec(f.text(ab, at, "stickyKey"), arms);
    }

    private static DriftPolicy drift(Fields f, JsonNode node) {
        String at = "spec.drift";
        ObjectNode d = f.mapping(node, at, DRIFT);
        if (d == null) {
            return DriftPolicy.defaults();
        }
        Integer window = f.whole(d, at, "window", DriftPolicy.MIN_WINDOW, DriftPolicy.MAX_WINDOW,
                "rows per drift window");
        return window == null ? DriftPolicy.defaults() : new DriftPolicy(window);
    }

    private static ServingPolicy serving(Fields f, JsonNode node) {
        String at = "spec.serving";
        ObjectNode s = f.mapping(node, at, SERVING);
        ServingPolicy d = ServingPolicy.defaults();
        if (s == null) {
            return d;
        }
        Integer batch = f.whole(s, at, "maxBatchSize", 1, ServingPolicy.MAX_BATCH_SIZE, "1 turns batching off");
        Integer latency = f.whole(s, at, "maxLatencyMs", 0, ServingPolicy.MAX_LATENCY_MS, "milliseconds a batch waits");
        Integer ttl = f.whole(s, at, "cacheTtlSeconds", 0, Integer.MAX_VALUE, "0 turns the cache off");
        Integer concurrency = f.whole(s, at, "maxConcurrency", 0, ServingPolicy.MAX_CONCURRENCY,
                "requests of a version served at once per node; 0 is the node's default");
        Integer queue = f.whole(s, at, "maxQueue", 0, ServingPolicy.MAX_QUEUE,
                "requests of a version waiting per node; 0 is the node's default");
        Integer timeout = f.millis(s, at, "timeout", ServingPolicy.MAX_TIMEOUT_MS);
        ServingPolicy.Fallback fallback = fallback(f, s, at);
        Map<String, Object> output = defaultOutput(f, s, at, fallback);
        try {
            return new ServingPolicy(batch == null ? d.maxBatchSize() : batch,
                    latency == null ? d.maxLatencyMs() : latency, ttl == null ? d.cacheTtlSeconds() : ttl,
                    concurrency == null ? 0 : concurrency, queue == null ? 0 : queue, timeout == null ? 0 : timeout,
                    fallback, output);
        } catch (IllegalArgumentException e) {
            if (!f.reported(at + ".defaultOutput")) {
                f.problem(at + ".defaultOutput", e.getMessage().replace("default_output", "defaultOutput"));
            }
            return new ServingPolicy(batch == null ? d.maxBatchSize() : batch,
                    latency == null ? d.maxLatencyMs() : latency, ttl == null ? d.cacheTtlSeconds() : ttl);
        }
    }

    private static ServingPolicy.Fallback fallback(Fields f, ObjectNode s, String at) {
        String text = f.text(s, at, "fallback");
        if (text == null) {
            return ServingPolicy.Fallback.NONE;
        }
        for (ServingPolicy.Fallback v : ServingPolicy.Fallback.values()) {
            if (v.wireName().equals(text)) {
                return v;
            }
        }
        f.problem(at + ".fallback", "must be one of none, cached, default; got \"" + text + "\"");
        return ServingPolicy.Fallback.NONE;
    }

    /** The answer of fallback default, which only it takes (reported otherwise); null when absent or wrong. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> defaultOutput(Fields f, ObjectNode s, String at,
                                                     ServingPolicy.Fallback fallback) {
        JsonNode v = s.get("defaultOutput");
        String field = at + ".defaultOutput";
        if (v == null) {
            if (fallback == ServingPolicy.Fallback.DEFAULT && !f.reported(at + ".fallback")) {
                f.problem(field, "is required by fallback: default: the answer to give, e.g. {label: unknown}");
            }
            return null;
        }
        if (v.isNull()) {
            f.nothing(field);
            return null;
        }
        if (!v.isObject()) {
            f.problem(field, "expected a mapping of output name to value, got " + Fields.describe(v));
            return null;
        }
        if (fallback != ServingPolicy.Fallback.DEFAULT) {
            f.problem(field, "is only used by fallback: default (fallback is " + fallback.wireName()
                    + "); remove it or set fallback: default");
            return null;
        }
        return JSON.convertValue(v, Map.class);
    }
}
