package io.modelmesh.dataplane.admission;

import io.modelmesh.api.ServingPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a node fills in for a policy's zeros: from its cores, engine threads and batch workers, or its overrides. */
class AdmissionDefaultsTest {
    @Test
    void unbatchedVersionsRunOneEngineCallPerCoreTheEngineLeaves() {
        AdmissionDefaults eight = new AdmissionDefaults(8, 2, 2, 0, 0, null);
        AdmissionLimits l = eight.resolve(ServingPolicy.defaults());
        assertEquals(4, l.maxConcurrency(), "8 cores / 2 engine threads");
        assertEquals(4 * AdmissionDefaults.QUEUE_PER_TURN, l.maxQueue(), "1,024 per turn");
        assertEquals(AdmissionDefaults.DEFAULT_TIMEOUT, l.timeout());
        assertEquals(1, new AdmissionDefaults(2, 4, 2, 0, 0, null).resolve(ServingPolicy.defaults())
                .maxConcurrency(), "never below one");
        assertEquals(1024 * 16, new AdmissionDefaults(16, 1, 2, 0, 0, null).resolve(ServingPolicy.defaults())
                .maxQueue(), "the queue grows with the turns");
        assertEquals(12, l.shortTurnConcurrency(), "short turns may use every carrier: 8 cores + 4 turns");
        assertEquals(12, AdmissionDefaults.carriers(8, 2));
    }

    @Test
    void onlyADerivedUnbatchedLimitRisesForShortTurns() {
        AdmissionDefaults two = new AdmissionDefaults(2, 1, 2, 0, 0, null);
        assertEquals(new AdmissionLimits(2, 2048, AdmissionDefaults.DEFAULT_TIMEOUT, 4),
                two.resolve(ServingPolicy.defaults()));
        AdmissionLimits set = two.resolve(ServingPolicy.defaults().withAdmission(3, 9, 250));
        assertEquals(3, set.shortTurnConcurrency(), "a limit the policy sets is kept");
        AdmissionLimits node = new AdmissionDefaults(2, 1, 2, 1, 0, null).resolve(ServingPolicy.defaults());
        assertEquals(1, node.shortTurnConcurrency(), "so is one the node sets (--max-concurrency)");
        AdmissionLimits batched = two.resolve(new ServingPolicy(64, 2, 0));
        assertEquals(batched.maxConcurrency(), batched.shortTurnConcurrency(), "batching sets its own");
    }

    @Test
    void batchedVersionsAdmitEnoughForEveryWorkerToFillItsBatch() {
        AdmissionLimits l = new AdmissionDefaults(2, 1, 2, 0, 0, null).resolve(new ServingPolicy(64, 2, 0));
        assertEquals(128, l.maxConcurrency());
        assertEquals(ServingPolicy.MAX_QUEUE, l.maxQueue(), "capped");
    }

    @Test
    void aPolicyWinsOverTheNodeAndTheNodeOverTheDerivation() {
        AdmissionDefaults node = new AdmissionDefaults(2, 1, 2, 6, 12, Duration.ofSeconds(3));
        assertEquals(new AdmissionLimits(6, 12, Duration.ofSeconds(3)), node.resolve(ServingPolicy.defaults()));
        assertEquals(new AdmissionLimits(3, 9, Duration.ofMillis(250)),
                node.resolve(ServingPolicy.defaults().withAdmission(3, 9, 250)));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionDefaults(2, 1, 2, 5000, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionDefaults(2, 1, 2, 0, 0, Duration.ZERO));
    }
}
