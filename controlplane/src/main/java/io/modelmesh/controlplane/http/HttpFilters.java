package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.Filter;
import io.modelmesh.server.http.HttpMetrics;

/**
 * The one filter every request passes: request id (echoed, or a new one) and request metrics by route pattern and
 * status.
 */
public final class HttpFilters {
    private HttpFilters() {
    }

    public static Filter requestMetrics(HttpMetrics metrics) {
        return metrics.filter((chain, req, res) -> {
            // every request has an id, the caller's or a new one: its log line and error body quote it
            res.header(RequestIds.HEADER, RequestIds.assign(req));
            chain.proceed();
        });
    }
}
