package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.Stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a new revision moves its model's version stages (pure): a version that becomes the stable version or an A/B arm
 * (it was neither in the revision before) is production; a version that was the stable version or an arm before and
 * is not routed at all any more (replaced by a deploy, a promoted canary, a rollback or an A/B split) is archived. A
 * revision routing no version (an undeploy) moves nothing: the model is off, not replaced. Versions keep any stage a
 * user set until a rollout changes their role.
 */
public final class StageMoves {
    private StageMoves() {
    }

    /** The stages to set, by version, for moving from {@code previous} (null: none) to {@code written}. */
    public static Map<String, Stage> of(ModelRoute previous, ModelRoute written) {
        Set<String> servingNow = serving(written);
        Map<String, Stage> moves = new LinkedHashMap<>();
        if (servingNow.isEmpty()) {
            return moves;
        }
        Set<String> servingBefore = previous == null ? Set.of() : serving(previous);
        for (String v : servingNow) {
            if (!servingBefore.contains(v)) {
                moves.put(v, Stage.PRODUCTION);
            }
        }
        Set<String> routedNow = written.targets().stream().map(RouteTarget::version).collect(Collectors.toSet());
        for (String v : servingBefore) {
            if (!routedNow.contains(v)) {
                moves.put(v, Stage.ARCHIVED);
            }
        }
        return moves;
    }

    /** The versions a route serves live traffic with: its stable version and its A/B arms (weight above 0). */
    private static Set<String> serving(ModelRoute route) {
        return route.targets().stream()
                .filter(t -> (t.role() == RouteTarget.Role.STABLE || t.role() == RouteTarget.Role.ARM)
                        && t.weight() > 0)
                .map(RouteTarget::version).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
