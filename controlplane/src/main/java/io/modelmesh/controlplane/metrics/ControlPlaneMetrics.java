package io.modelmesh.controlplane.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;
import io.modelmesh.metrics.Family;
import io.modelmesh.metrics.Meters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The named metric families the control plane records (docs/observability.md lists them); one instance per control
 * plane on its own Helidon registry, passed by constructor. HTTP metrics are the server module's
 * {@link io.modelmesh.server.http.HttpMetrics}, on the same registry.
 */
public final class ControlPlaneMetrics {
    private final Meters meters;
    private final Family<Timer> pushLatency;
    private final Family<Counter> pushes;
    private final Family<Counter> registrations;
    private final Family<Counter> rollouts;

    public ControlPlaneMetrics(Meters meters) {
        this.meters = meters;
        this.pushLatency = meters.timer("routing_push_seconds",
                "Time from sending a routing table to a node until its ack (or failure), by outcome (acked, failed).",
                Meters.LATENCY_SECONDS, "outcome");
        this.pushes = meters.counter("routing_pushes_total", "Routing-table pushes to nodes, by outcome (acked, "
                + "failed).", "outcome");
        this.registrations = meters.counter("model_registrations_total",
                "Model registrations (POST /models), by outcome: created, unchanged or the error code.", "outcome");
        this.rollouts = meters.counter("rollouts_total", "Canary rollouts that ended, by outcome (promoted, "
                + "rolled_back), automatic or by hand.", "outcome");
        // both series exist from the start at 0, so increase() sees the first rollback (a series that appears at 1
        // has no increase to show)
        rollouts.labels("promoted");
        rollouts.labels("rolled_back");
    }

    public Meters meters() {
        return meters;
    }

    public void push(boolean acked, double seconds) {
        String outcome = acked ? "acked" : "failed";
        pushes.labels(outcome).increment();
        pushLatency.labels(outcome).record(Math.round(seconds * 1e9), TimeUnit.NANOSECONDS);
    }

    public void registration(String outcome) {
        registrations.labels(outcome).increment();
    }

    /** A rollout ended: {@code promoted} or {@code rolled_back}. */
    public void rollout(String outcome) {
        rollouts.labels(outcome).increment();
    }

    /** Registers the gauges that read current state (counts from the database, node states) at scrape time. */
    public void stateGauges(DoubleSupplier models, DoubleSupplier versions, DoubleSupplier revision,
                            Supplier<Map<List<String>, Double>> nodesByState) {
        meters.gauge("models_registered", "Registered models.", models);
        meters.gauge("model_versions_registered", "Registered model versions.", versions);
        meters.gauge("routing_revision", "Latest routing-table revision.", revision);
        meters.gauges("nodes", "Data-plane nodes known to the control plane, by state.", nodesByState, "state");
    }

    /**
     * Registers the gauges of rollouts and drift: the error rate of each version of a model under a canary rollout
     * (canary and stable alike, since the strategy started), and the last drift evaluation per version and feature.
     */
    public void analysisGauges(Supplier<Map<List<String>, Double>> canaryErrorRates,
                               Supplier<Map<List<String>, Double>> psi, Supplier<Map<List<String>, Double>> ksPValue) {
        meters.gauges("canary_error_rate", "Server-error share of the requests each version of a model under a canary "
                + "rollout answered since the rollout's current strategy started, over all nodes.", canaryErrorRates,
                "model", "version");
        meters.gauges("model_drift_psi", "Population stability index of a feature at the version's last drift "
                + "evaluation (current window vs reference).", psi, "model", "version", "feature");
        meters.gauges("model_drift_ks_pvalue", "Two-sample Kolmogorov-Smirnov p-value of a feature at the version's "
                + "last drift evaluation.", ksPValue, "model", "version", "feature");
    }
}
