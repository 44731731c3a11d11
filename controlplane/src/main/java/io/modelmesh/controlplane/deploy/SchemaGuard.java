package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.controlplane.registry.InputSchemas;
import io.modelmesh.server.errors.ConflictException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a canary, shadow or A/B arm that takes another input than the version serving next to it (pure): requests
 * the stable version accepts would fail on the candidate, and those failures are client errors, not outcomes its
 * analysis can weigh. Callers pass {@code allowSchemaChange} to {@link DeploymentService#plan} to skip it.
 */
public final class SchemaGuard {
    private SchemaGuard() {
    }

    /**
     * @param currentStable the version serving the model's stable traffic now (the A/B arms are compared with it
     *                      when it is one of them, else with the first arm), or null
     * @throws ConflictException showing each difference and how to allow it
     */
    public static void check(String model, DeploymentSpec spec, ModelRoute route, String currentStable) {
        List<String> problems = problems(spec, route, currentStable);
        if (!problems.isEmpty()) {
            throw new ConflictException("model '" + model + "': " + String.join("; and ", problems) + ". Requests the "
                    + "stable version accepts would fail on it. Register the candidate with the same features "
                    + "(mmctl register " + model + " --file FILE --features a,b,...), or start it anyway with "
                    + "--allow-schema-change (manifest: spec.allowSchemaChange: true; REST: \"allow_schema_change\": "
                    + "true)");
        }
    }

    /** Each candidate whose input differs from its reference's, described; empty when none does. */
    static List<String> problems(DeploymentSpec spec, ModelRoute route, String currentStable) {
        List<String> out = new ArrayList<>();
        if (spec == null || spec.strategy() == DeploymentSpec.Strategy.FULL) {
            return out;
        }
        List<RouteTarget> targets = route.targets();
        Optional<RouteTarget> reference = spec.strategy() == DeploymentSpec.Strategy.AB
                ? targets.stream().filter(t -> t.version().equals(currentStable)).findFirst()
                .or(() -> targets.stream().findFirst())
                : targets.stream().filter(t -> t.role() == Role.STABLE).findFirst();
        if (reference.isEmpty()) {
            return out;
        }
        RouteTarget ref = reference.get();
        for (RouteTarget t : targets) {
            if (t == ref || t.role() == Role.STABLE) {
                continue;
            }
            InputSchemas.Difference d = InputSchemas.compare(ref.schema(), t.schema());
            if (d.changed()) {
                out.add(roleName(t.role()) + " " + t.version() + " takes another input than " + (t.role() == Role.ARM
                        ? "arm " : "the stable version ") + ref.version() + ": " + d.describe());
            }
        }
        return out;
    }

    private static String roleName(Role role) {
        return switch (role) {
            case CANARY -> "canary";
            case SHADOW -> "shadow";
            case ARM -> "arm";
            case STABLE -> "stable version";
        };
    }
}
