package io.modelmesh.api;

import java.util.List;

/**
 * Where one model's traffic goes.
 *
 * @param model     model name
 * @param targets   versions with weights and roles
 * @param stickyKey request header that keys sticky A/B assignment (null: {@code X-User-Id})
 * @param policy    batching and cache settings (null: {@link ServingPolicy#defaults()})
 */
public record ModelRoute(String model, List<RouteTarget> targets, String stickyKey, ServingPolicy policy) {
    public ModelRoute {
        targets = List.copyOf(targets);
        policy = policy == null ? ServingPolicy.defaults() : policy;
    }

    public ModelRoute(String model, List<RouteTarget> targets, String stickyKey) {
        this(model, targets, stickyKey, null);
    }
}
