package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.Filter;
import io.modelmesh.server.http.HttpMetrics;

/** The one filter every request passes: request-id echo and request metrics by route pattern and status. */
public final class HttpFilters {
    private HttpFilters() {
    }

    public static Filter requestMetrics(HttpMetrics metrics) {
        return metrics.filter((chain, req, res) -> {
            String requestId = RequestIds.of(req);
            if (requestId != null) {
                res.header(RequestIds.HEADER, requestId);
            }
            chain.proceed();
        });
    }
}
