package io.modelmesh.api;

import java.util.List;
import java.util.Map;

/**
 * Where one model's traffic goes.
 *
 * @param model     model name
 * @param targets   versions with weights and roles
 * @param stickyKey request header that keys sticky A/B assignment (null: {@code X-User-Id})
 * @param policy    batching and cache settings (null: {@link ServingPolicy#defaults()})
 * @param aliases   the model's aliases (alias to version, {@code champion -> 1.1.0}), so nodes resolve
 *                  {@code ?version=@champion}; filled when the control plane builds the table (not part of a stored
 *                  revision's route); empty in tables from before aliases
 */
public record ModelRoute(String model, List<RouteTarget> targets, String stickyKey, ServingPolicy policy,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         Map<String, String> aliases) {
    public ModelRoute {
        targets = List.copyOf(targets);
        policy = policy == null ? ServingPolicy.defaults() : policy;
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
    }

    public ModelRoute(String model, List<RouteTarget> targets, String stickyKey, ServingPolicy policy) {
        this(model, targets, stickyKey, policy, null);
    }

    /** The same route with these aliases. */
    public ModelRoute withAliases(Map<String, String> newAliases) {
        return new ModelRoute(model, targets, stickyKey, policy, newAliases);
    }

    public ModelRoute(String model, List<RouteTarget> targets, String stickyKey) {
        this(model, targets, stickyKey, null);
    }
}
