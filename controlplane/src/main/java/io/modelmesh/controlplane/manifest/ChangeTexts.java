package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.Durations;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ServingPolicy;

import java.util.stream.Collectors;

/** The one-line history entry of an applied manifest: {@code apply iris.yaml: canary 1.1.0 at 5%} (pure). */
public final class ChangeTexts {
    private ChangeTexts() {
    }

    public static String of(String file, DeploymentSpec spec) {
        return "apply " + file + ": " + summary(spec) + serving(spec.serving()) + drift(spec.drift());
    }

    private static String drift(DriftPolicy d) {
        return d.equals(DriftPolicy.defaults()) ? "" : " (drift window " + d.window() + " rows)";
    }

    static String summary(DeploymentSpec spec) {
        return switch (spec.strategy()) {
            case FULL -> spec.stable() + " at 100%";
            case CANARY -> canary(spec.canary(), spec.stable());
            case SHADOW -> "shadow " + spec.shadow().version() + " (" + spec.shadow().percentOrDefault()
                    + "% mirrored) beside " + spec.stable();
            case AB -> ab(spec.ab());
        };
    }

    private static String canary(CanarySpec c, String stable) {
        String text = "canary " + c.version() + " at " + c.initialPercent() + "% beside " + stable;
        if (c.steps().isEmpty()) {
            return text;
        }
        int interval = c.stepIntervalSeconds() == null ? CanarySpec.DEFAULT_STEP_INTERVAL_SECONDS
                : c.stepIntervalSeconds();
        return text + " (steps " + c.steps().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " every " + Durations.format(interval) + ")";
    }

    private static String ab(AbSpec ab) {
        String key = ab.stickyKey() == null ? AbSpec.DEFAULT_STICKY_KEY : ab.stickyKey();
        return "a/b " + ab.arms().stream().map(a -> a.version() + " " + a.weight() + "%")
                .collect(Collectors.joining(", ")) + " by " + key;
    }

    private static String serving(ServingPolicy p) {
        if (p.equals(ServingPolicy.defaults())) {
            return "";
        }
        return " (" + p.summary() + ")";
    }
}
