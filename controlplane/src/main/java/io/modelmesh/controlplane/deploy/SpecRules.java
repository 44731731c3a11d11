package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.api.ShadowSpec;
import io.modelmesh.controlplane.registry.SemVer;
import io.modelmesh.controlplane.registry.VersionRefs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a deployment spec must follow, whether it came from a manifest or an imperative command (pure). Every
 * problem is reported, each with the field it is about, so a manifest can be fixed in one go.
 */
public final class SpecRules {
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

    private SpecRules() {
    }

    public static List<SpecProblem> check(DeploymentSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.strategy() == null) {
            problems.add(new SpecProblem("strategy", "is required: one of full, canary, shadow, ab"));
            return problems;
        }
        DeploymentSpec.Strategy s = spec.strategy();
        if (s == DeploymentSpec.Strategy.AB) {
            if (spec.stable() != null) {
                problems.add(new SpecProblem("stable", "is not used by strategy ab: the arms name every version"));
            }
        } else {
            version(problems, "stable", spec.stable());
        }
        section(problems, "canary", spec.canary() != null, s == DeploymentSpec.Strategy.CANARY, s);
        section(problems, "shadow", spec.shadow() != null, s == DeploymentSpec.Strategy.SHADOW, s);
        section(problems, "ab", spec.ab() != null, s == DeploymentSpec.Strategy.AB, s);
        if (s == DeploymentSpec.Strategy.CANARY && spec.canary() != null) {
            canary(problems, spec.canary(), spec.stable());
        }
        if (s == DeploymentSpec.Strategy.SHADOW && spec.shadow() != null) {
            shadow(problems, spec.shadow(), spec.stable());
        }
        if (s == DeploymentSpec.Strategy.AB && spec.ab() != null) {
            ab(problems, spec.ab());
        }
        serving(problems, spec.serving());
        return problems;
    }

    private static void section(List<SpecProblem> problems, String name, boolean present, boolean wanted,
                                DeploymentSpec.Strategy s) {
        if (wanted && !present) {
            problems.add(new SpecProblem(name, "is required by strategy " + s.wireName()));
        } else if (!wanted && present) {
            problems.add(new SpecProblem(name, "is only used by strategy " + name + " (strategy is " + s.wireName()
                    + "); remove it or change the strategy"));
        }
    }

    private static void canary(List<SpecProblem> problems, CanarySpec c, String stable) {
        version(problems, "canary.version", c.version());
        if (c.version() != null && c.version().equals(stable)) {
            problems.add(new SpecProblem("canary.version", "is the stable version " + stable
                    + "; a canary needs another version"));
        }
        if (c.steps().isEmpty()) {
            if (c.percent() == null) {
                problems.add(new SpecProblem("canary.percent", "is required without steps: the canary's share, 1..99"));
            } else if (c.percent() < 1 || c.percent() > 99) {
                problems.add(new SpecProblem("canary.percent", "must be 1..99 (use strategy full for 100), got "
                        + c.percent()));
            }
        } else {
            int previous = 0;
            for (int i = 0; i < c.steps().size(); i++) {
                Integer step = c.steps().get(i);
                if (step == null || step < 1 || step > 100) {
                    problems.add(new SpecProblem("canary.steps[" + i + "]", "must be 1..100, got " + step));
                } else if (step <= previous) {
                    problems.add(new SpecProblem("canary.steps[" + i + "]", "must be above the step before it ("
                            + previous + "): steps only go up, e.g. [5, 25, 50, 100]"));
                } else {
                    previous = step;
                }
            }
            if (c.percent() != null && !c.percent().equals(c.steps().getFirst())) {
                problems.add(new SpecProblem("canary.percent", "must be left out or equal the first step ("
                        + c.steps().getFirst() + ") when steps are given"));
            }
        }
        if (c.stepIntervalSeconds() != null && (c.stepIntervalSeconds() < 1 || c.stepIntervalSeconds() > 86_400)) {
            problems.add(new SpecProblem("canary.stepInterval", "must be 1 s .. 24 h, got " + c.stepIntervalSeconds()
                    + " s"));
        }
        AnalysisPolicy a = c.analysis();
        if (a != null && a.minRequests() != null && a.minRequests() > 1_000_000) {
            problems.add(new SpecProblem("canary.analysis.minRequests", "must be at most 1000000, got "
                    + a.minRequests()));
        }
    }

    private static void shadow(List<SpecProblem> problems, ShadowSpec sh, String stable) {
        version(problems, "shadow.version", sh.version());
        if (sh.version() != null && sh.version().equals(stable)) {
            problems.add(new SpecProblem("shadow.version", "is the stable version " + stable
                    + "; shadow another version to compare it"));
        }
        if (sh.percent() != null && (sh.percent() < 1 || sh.percent() > 100)) {
            problems.add(new SpecProblem("shadow.percent", "must be 1..100 (share of requests mirrored), got "
                    + sh.percent()));
        }
    }

    private static void ab(List<SpecProblem> problems, AbSpec ab) {
        if (ab.stickyKey() != null && !HEADER.matcher(ab.stickyKey()).matches()) {
            problems.add(new SpecProblem("ab.stickyKey", "must be an HTTP header name such as X-User-Id, got '"
                    + ab.stickyKey() + "'"));
        }
        if (ab.arms().size() < 2) {
            problems.add(new SpecProblem("ab.arms", "needs at least 2 arms, got " + ab.arms().size()));
        }
        int total = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ab.arms().size(); i++) {
            AbArm arm = ab.arms().get(i);
            String at = "ab.arms[" + i + "]";
            if (arm == null) {
                problems.add(new SpecProblem(at, "must be {version, weight}"));
                continue;
            }
            version(problems, at + ".version", arm.version());
            if (arm.version() != null && !seen.add(arm.version())) {
                problems.add(new SpecProblem(at + ".version", "names " + arm.version() + " twice; one arm per version"));
            }
            if (arm.weight() < 1 || arm.weight() > 99) {
                problems.add(new SpecProblem(at + ".weight", "must be 1..99, got " + arm.weight()));
            }
            total += arm.weight();
        }
        if (ab.arms().size() >= 2 && total != 100) {
            problems.add(new SpecProblem("ab.arms", "weights must add up to 100, they add up to " + total));
        }
    }

    /** What the policy's own ranges cannot see: a deadline that a batch's delay alone would use up. */
    private static void serving(List<SpecProblem> problems, ServingPolicy p) {
        if (p.timeoutMs() > 0 && p.batching() && p.timeoutMs() <= p.maxLatencyMs()) {
            problems.add(new SpecProblem("serving.timeout", "must be longer than maxLatencyMs (" + p.maxLatencyMs()
                    + " ms), got " + p.timeoutMs() + " ms: every request would pass its deadline waiting for its "
                    + "batch"));
        }
    }

    private static void version(List<SpecProblem> problems, String field, String v) {
        if (v == null || v.isBlank()) {
            problems.add(new SpecProblem(field, "is required: a registered version such as 1.2.0"));
            return;
        }
        if (VersionRefs.isAlias(v)) { // resolved when the deployment is planned
            if (!VersionRefs.ALIAS.matcher(v.substring(1)).matches()) {
                problems.add(new SpecProblem(field, "'" + v + "' is not an alias: write @ and a lower-case letter, "
                        + "then lower-case letters, digits, '-' and '_' (@champion)"));
            }
            return;
        }
        try {
            SemVer.parse(v);
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(field, e.getMessage() + " (or an alias such as @champion)"));
        }
    }
}
