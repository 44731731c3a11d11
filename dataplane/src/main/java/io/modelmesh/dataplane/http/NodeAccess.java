package io.modelmesh.dataplane.http;

import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.http.BrowserGuard;
import io.modelmesh.server.http.RouteInfo;

import java.util.List;

/**
 * Who may call a node's routes, in one value for {@link DataPlaneRouting}.
 *
 * @param guard         prediction tokens (or anonymous callers where allowed) and the control plane for pushes
 * @param catalog       every route is added here with the access it requires (the route-walking tests read it)
 * @param session       the node's session with its control plane: verifies routing pushes
 * @param browsers      refuses cross-origin requests not configured
 * @param publicMetrics whether {@code GET /metrics} answers without a token
 */
public record NodeAccess(Guard guard, List<RouteInfo> catalog, NodeSession session, BrowserGuard browsers,
                         boolean publicMetrics) {
}
