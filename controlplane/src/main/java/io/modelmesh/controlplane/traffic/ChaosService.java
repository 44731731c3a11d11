package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.Fault;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.deploy.RoutePlanner;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fault injection ({@code POST /deployments/chaos}, admin only): a new revision whose route carries a {@link Fault} on
 * one routed version, with the same spec as the model's latest revision, so a running canary, shadow or A/B split goes
 * on as it was. Nodes inject the fault until it is cleared, its time is up, or a later deployment replans the route.
 */
public final class ChaosService {
    /** Longest fault duration accepted: a week. */
    static final int MAX_DURATION_SECONDS = 7 * 24 * 3600;

    private final DeploymentService deployments;
    private final ModelCatalog catalog;
    private final Clock clock;

    public ChaosService(DeploymentService deployments, ModelCatalog catalog, Clock clock) {
        this.deployments = deployments;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The {@code source} of the revisions chaos writes. */
    public static final String SOURCE = io.modelmesh.controlplane.rollout.RolloutStarter.CHAOS;

    /**
     * Sets or clears the fault and pushes the route. Setting the fault a version already has (or clearing one it does
     * not have) writes nothing.
     *
     * @throws InvalidInputException when the request injects nothing or out of range, or the version is not routed
     * @throws NotFoundException     when the model is not registered or has no deployment
     */
    public DeployOutcome inject(ChaosRequest request, String user) {
        if (request == null || request.model() == null || request.version() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"version\": \"X.Y.Z\", \"error_rate\": 0..1, "
                    + "\"latency_ms\": MS, \"duration_seconds\": S} or {\"model\": NAME, \"version\": \"X.Y.Z\", "
                    + "\"clear\": true}");
        }
        String model = ModelNames.require(request.model());
        String version = CurrentState.canonical(request.version());
        boolean clear = Boolean.TRUE.equals(request.clear());
        Fault fault = clear ? null : fault(request, clock.instant());
        catalog.model(model); // 404 when the model is not registered
        DeploymentRecord latest = deployments.latest(model).orElseThrow(() -> new NotFoundException("model '"
                + model + "' has no deployment to inject a fault into; deploy a version first (mmctl deploy)"));
        ModelRoute route;
        try {
            route = RoutePlanner.withFault(latest.route(), version, fault);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("version: " + e.getMessage() + "; inject into a version the model routes",
                    e);
        }
        String change = clear ? "chaos cleared on " + version : change(version, request);
        if (route.equals(latest.route())) {
            return new DeployOutcome(deployments.publish(latest), false);
        }
        // the spec stays: a drill is not a change of desired state (and must not restart a running canary)
        DeploymentRecord written = deployments.write(List.of(new PlannedChange(model, latest.spec(), route, change,
                SOURCE)), user).getFirst();
        return new DeployOutcome(deployments.publish(written), true);
    }

    /** The fault a request asks for, checked. */
    static Fault fault(ChaosRequest r, Instant now) {
        if (r.errorRate() == null) {
            throw new InvalidInputException("error_rate is required: the share of the version's requests that fail, "
                    + "0..1 (0 with latency_ms only delays them); or send \"clear\": true");
        }
        if (!(r.errorRate() >= 0 && r.errorRate() <= 1)) {
            throw new InvalidInputException("error_rate must be 0..1 (0.5 fails half of the requests), got "
                    + r.errorRate());
        }
        int latency = r.latencyMs() == null ? 0 : r.latencyMs();
        if (latency < 0 || latency > Fault.MAX_LATENCY_MS) {
            throw new InvalidInputException("latency_ms must be 0.." + Fault.MAX_LATENCY_MS + ", got " + latency);
        }
        if (r.errorRate() == 0 && latency == 0) {
            throw new InvalidInputException("nothing to inject: error_rate is 0 and latency_ms is 0; set either, or "
                    + "send \"clear\": true to remove a fault");
        }
        Integer seconds = r.durationSeconds();
        if (seconds != null && (seconds < 1 || seconds > MAX_DURATION_SECONDS)) {
            throw new InvalidInputException("duration_seconds must be 1.." + MAX_DURATION_SECONDS + " (or left out: "
                    + "until cleared), got " + seconds);
        }
        return new Fault(r.errorRate(), latency, seconds == null ? null : now.plus(Duration.ofSeconds(seconds)));
    }

    /** "chaos on 1.1.0: 50% errors, +200 ms latency, for 30 s". */
    static String change(String version, ChaosRequest r) {
        String percent = BigDecimal.valueOf(r.errorRate()).movePointRight(2).stripTrailingZeros().toPlainString();
        int latency = r.latencyMs() == null ? 0 : r.latencyMs();
        return "chaos on " + version + ": " + percent + "% errors"
                + (latency == 0 ? "" : ", +" + latency + " ms latency")
                + (r.durationSeconds() == null ? ", until cleared" : ", for " + r.durationSeconds() + " s");
    }
}
