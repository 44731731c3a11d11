package io.modelmesh.api;

import java.util.List;

/**
 * Where one model's traffic goes.
 *
 * @param model     model name
 * @param targets   versions with weights and roles
 * @param stickyKey request header that keys sticky A/B assignment (null: {@code X-User-Id})
 */
public record ModelRoute(String model, List<RouteTarget> targets, String stickyKey) {
    public ModelRoute {
        targets = List.copyOf(targets);
    }
}
