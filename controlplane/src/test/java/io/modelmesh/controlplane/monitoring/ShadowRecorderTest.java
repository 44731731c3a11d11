package io.modelmesh.controlplane.monitoring;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowSpec;
import io.modelmesh.controlplane.store.ShadowComparison;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowRecorderTest {
    private static DeploymentSpec shadow(String stable, String version, int percent) {
        return new DeploymentSpec(DeploymentSpec.Strategy.SHADOW, stable, null, new ShadowSpec(version, percent), null,
                null);
    }

    @Test
    void whichRevisionsStartAFreshComparison() {
        assertTrue(ShadowRecorder.continues(shadow("1.0.0", "1.1.0", 100), shadow("1.0.0", "1.1.0", 100)),
                "same spec (a chaos revision)");
        assertTrue(ShadowRecorder.continues(shadow("1.0.0", "1.1.0", 100), shadow("1.0.0", "1.1.0", 10)),
                "another share of the same comparison");
        assertFalse(ShadowRecorder.continues(shadow("1.0.0", "1.1.0", 100), shadow("1.0.0", "1.2.0", 100)));
        assertFalse(ShadowRecorder.continues(shadow("1.0.0", "1.1.0", 100), shadow("1.0.1", "1.1.0", 100)));
        assertFalse(ShadowRecorder.continues(DeploymentSpec.full("1.0.0", null), shadow("1.0.0", "1.1.0", 100)));
        assertFalse(ShadowRecorder.continues(shadow("1.0.0", "1.1.0", 100), DeploymentSpec.full("1.0.0", null)));
        assertTrue(ShadowRecorder.continues(null, DeploymentSpec.full("1.0.0", null)));
    }

    @Test
    void ratesAreNullWithoutWhatTheyDivideBy() {
        ShadowComparison c = new ShadowComparison(1, "m", "1.1.0", "1.0.0", Instant.EPOCH, Instant.EPOCH, true, 4, 0,
                1, 3, 0, 0, 0, 0, 0, 6);
        ShadowReport r = ShadowReports.summarize(c, List.of());
        assertNull(r.labelAgreementRate());
        assertNull(r.meanAbsDiff());
        assertNull(r.maxAbsDiff());
        assertEquals(2.0, r.meanLatencyDeltaMs());
    }
}
