package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.Fault;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChaosServiceTest {
    @Test
    void changeTextAndFault() {
        ChaosRequest r = new ChaosRequest("m", "1.1.0", 0.07, null, 90, null);
        assertEquals("chaos on 1.1.0: 7% errors, for 90 s", ChaosService.change("1.1.0", r));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(new Fault(0.07, 0, now.plusSeconds(90)), ChaosService.fault(r, now));
        assertEquals("chaos on 1.1.0: 12.5% errors, +5 ms latency, until cleared",
                ChaosService.change("1.1.0", new ChaosRequest("m", "1.1.0", 0.125, 5, null, null)));
    }
}
