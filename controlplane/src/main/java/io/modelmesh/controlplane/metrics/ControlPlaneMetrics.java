package io.modelmesh.controlplane.metrics;

import io.modelmesh.metrics.Counter;
import io.modelmesh.metrics.Histogram;
import io.modelmesh.metrics.MetricsRegistry;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/** The named metric families the control plane records; one instance per control plane, passed by constructor. */
public final class ControlPlaneMetrics {
    private final MetricsRegistry registry;
    private final Counter httpRequests;
    private final Histogram httpLatency;
    private final Histogram pushLatency;
    private final Counter pushes;
    private final Counter registrations;

    public ControlPlaneMetrics(MetricsRegistry registry) {
        this.registry = registry;
        this.httpRequests = registry.counter("mm_cp_http_requests_total",
                "HTTP requests served by the control plane, by method, route pattern and status", "method", "route", "status");
        this.httpLatency = registry.histogram("mm_cp_http_request_seconds",
                "Time to serve control-plane HTTP requests, by route pattern", Histogram.LATENCY_SECONDS, "route");
        this.pushLatency = registry.histogram("mm_cp_routing_push_seconds",
                "Time from sending a routing table to a node until its ack (or failure), by outcome",
                Histogram.LATENCY_SECONDS, "outcome");
        this.pushes = registry.counter("mm_cp_routing_pushes_total", "Routing-table pushes to nodes, by outcome", "outcome");
        this.registrations = registry.counter("mm_cp_registrations_total",
                "Model registrations (POST /models), by outcome: created, unchanged or the error code", "outcome");
    }

    public MetricsRegistry registry() {
        return registry;
    }

    public void httpRequest(String method, String route, int status, double seconds) {
        httpRequests.inc(method, route, Integer.toString(status));
        httpLatency.observe(seconds, route);
    }

    public void push(boolean acked, double seconds) {
        String outcome = acked ? "acked" : "failed";
        pushes.inc(outcome);
        pushLatency.observe(seconds, outcome);
    }

    public void registration(String outcome) {
        registrations.inc(outcome);
    }

    /** Registers the gauges that read current state (counts from the database, node states) at scrape time. */
    public void stateGauges(DoubleSupplier models, DoubleSupplier versions, DoubleSupplier revision,
                            Supplier<Map<List<String>, Double>> nodesByState) {
        registry.gauge("mm_cp_models", "Registered models", models);
        registry.gauge("mm_cp_model_versions", "Registered model versions", versions);
        registry.gauge("mm_cp_routing_revision", "Latest routing-table revision", revision);
        registry.gauge("mm_cp_nodes", "Data-plane nodes known to the control plane, by state", nodesByState, "state");
    }
}
