package io.modelmesh.dataplane.admission;

import io.modelmesh.dataplane.reliability.FallbackPlan;

/**
 * How one served version takes requests on this node: its admission gate (with the limits it runs under) and what it
 * answers when it fails or sheds a request. Kept across routing revisions while the version stays loaded, so requests
 * in flight and waiting keep their turns when a new revision only changes the policy.
 */
public final class Admission {
    private final AdmissionGate gate;
    private volatile FallbackPlan fallback;

    public Admission(AdmissionGate gate, FallbackPlan fallback) {
        this.gate = gate;
        this.fallback = fallback;
    }

    /** Unlimited enough for tests that do not exercise admission: the node defaults of one core, no fallback. */
    public static Admission forTests() {
        return new Admission(new AdmissionGate(AdmissionDefaults.of(1, 1).resolve(io.modelmesh.api.ServingPolicy
                .defaults()), System::nanoTime), FallbackPlan.NONE);
    }

    public AdmissionGate gate() {
        return gate;
    }

    public AdmissionLimits limits() {
        return gate.limits();
    }

    public FallbackPlan fallback() {
        return fallback;
    }

    void configure(AdmissionLimits limits, FallbackPlan plan) {
        gate.configure(limits);
        fallback = plan;
    }
}
