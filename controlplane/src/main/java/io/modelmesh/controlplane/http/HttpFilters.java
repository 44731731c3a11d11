package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.Filter;
import io.modelmesh.controlplane.metrics.ControlPlaneMetrics;
import io.modelmesh.server.http.RouteTag;

/** The one filter every request passes: request-id echo and request metrics by route pattern and status. */
public final class HttpFilters {
    private HttpFilters() {
    }

    public static Filter requestMetrics(ControlPlaneMetrics metrics) {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            String method = req.prologue().method().text();
            RouteTag tag = RouteTag.attach(req);
            String requestId = RequestIds.of(req);
            if (requestId != null) {
                res.header(RequestIds.HEADER, requestId);
            }
            res.whenSent(() -> metrics.httpRequest(method, tag.route(), res.status().code(),
                    (System.nanoTime() - start) / 1e9));
            chain.proceed();
        };
    }
}
