package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.Fault;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.controlplane.registry.SemVer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a desired state into the route nodes serve, and changes routes the way rollouts do (pure). The spec must have
 * passed {@link SpecRules#check}.
 */
public final class RoutePlanner {
    private RoutePlanner() {
    }

    /**
     * The route that realises {@code spec}: versions are looked up through {@code versions} (which throws when one is
     * not registered). A canary starts at its first step or percent.
     */
    public static ModelRoute plan(String model, DeploymentSpec spec, Function<String, ModelVersion> versions) {
        List<RouteTarget> targets = new ArrayList<>();
        String stickyKey = null;
        switch (spec.strategy()) {
            case FULL -> targets.add(target(versions, spec.stable(), 100, Role.STABLE));
            case CANARY -> {
                int p = spec.canary().initialPercent();
                targets.add(target(versions, spec.stable(), 100 - p, Role.STABLE));
                targets.add(target(versions, spec.canary().version(), p, Role.CANARY));
            }
            case SHADOW -> {
                targets.add(target(versions, spec.stable(), 100, Role.STABLE));
                targets.add(target(versions, spec.shadow().version(), spec.shadow().percentOrDefault(), Role.SHADOW));
            }
            case AB -> {
                AbSpec ab = spec.ab();
                for (AbArm arm : ab.arms()) {
                    targets.add(target(versions, arm.version(), arm.weight(), Role.ARM));
                }
                stickyKey = ab.stickyKey();
            }
        }
        return new ModelRoute(model, targets, stickyKey, spec.serving());
    }

    /** The canary at {@code percent} (0..100) and the stable version taking the rest. */
    public static ModelRoute withCanaryPercent(ModelRoute route, int percent) {
        List<RouteTarget> targets = new ArrayList<>();
        for (RouteTarget t : route.targets()) {
            targets.add(switch (t.role()) {
                case CANARY -> t.withWeight(percent, Role.CANARY);
                case STABLE -> t.withWeight(100 - percent, Role.STABLE);
                default -> t;
            });
        }
        return new ModelRoute(route.model(), targets, route.stickyKey(), route.policy());
    }

    /** The canary removed: its traffic back on the stable version (0 % canary on every node). */
    public static ModelRoute withoutCanary(ModelRoute route) {
        List<RouteTarget> targets = new ArrayList<>();
        for (RouteTarget t : route.targets()) {
            if (t.role() == Role.STABLE) {
                targets.add(t.withWeight(100, Role.STABLE));
            } else if (t.role() != Role.CANARY) {
                targets.add(t);
            }
        }
        return new ModelRoute(route.model(), targets, route.stickyKey(), route.policy());
    }

    /** The canary promoted: it becomes the stable version with all traffic; the old stable version leaves. */
    public static ModelRoute promoted(ModelRoute route) {
        List<RouteTarget> targets = new ArrayList<>();
        for (RouteTarget t : route.targets()) {
            if (t.role() == Role.CANARY) {
                targets.add(t.withWeight(100, Role.STABLE));
            } else if (t.role() != Role.STABLE) {
                targets.add(t);
            }
        }
        return new ModelRoute(route.model(), targets, route.stickyKey(), route.policy());
    }

    /**
     * The route with {@code fault} on {@code version} (null clears it).
     *
     * @throws IllegalArgumentException when the route has no such version
     */
    public static ModelRoute withFault(ModelRoute route, String version, Fault fault) {
        List<RouteTarget> targets = new ArrayList<>();
        boolean found = false;
        for (RouteTarget t : route.targets()) {
            if (t.version().equals(version)) {
                targets.add(t.withFault(fault));
                found = true;
            } else {
                targets.add(t);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("model '" + route.model() + "' does not route version " + version
                    + " (routed: " + route.targets().stream().map(RouteTarget::version).toList() + ")");
        }
        return new ModelRoute(route.model(), targets, route.stickyKey(), route.policy());
    }

    /**
     * The route without any injected fault: what a rollback restores. Faults are a drill, not desired state, so a
     * revision written while one was set never brings it back.
     */
    public static ModelRoute withoutFaults(ModelRoute route) {
        if (route.targets().stream().allMatch(t -> t.fault() == null)) {
            return route;
        }
        List<RouteTarget> targets = route.targets().stream().map(t -> t.fault() == null ? t : t.withFault(null))
                .toList();
        return new ModelRoute(route.model(), targets, route.stickyKey(), route.policy());
    }

    private static RouteTarget target(Function<String, ModelVersion> versions, String version, int weight, Role role) {
        ModelVersion v = versions.apply(SemVer.parse(version).toString());
        return new RouteTarget(v.version(), v.framework(), v.servedSha256(), v.servedSizeBytes(), weight, role,
                v.schema());
    }
}
