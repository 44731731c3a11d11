package io.modelmesh.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node and rollout states are enums in the records, and the same words as before on the wire. */
class StatesWireTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void nodeStatesKeepTheirWireNames() throws Exception {
        assertEquals(List.of("LIVE", "DEAD"), java.util.Arrays.stream(NodeState.values()).map(Enum::name).toList());
        for (NodeState s : NodeState.values()) {
            NodeStatus n = new NodeStatus("node-a", "http://127.0.0.1:8000", 3, s, T, T);
            String json = JSON.writeValueAsString(n);
            assertEquals(s.name(), JSON.readTree(json).get("state").asText(), json);
            assertEquals(n, JSON.readValue(json, NodeStatus.class));
        }
        // what a control plane of the previous release sent parses into the enum
        NodeStatus old = JSON.readValue("{\"node_id\":\"n\",\"url\":\"http://x:1\",\"serving_revision\":1,"
                + "\"state\":\"DEAD\"}", NodeStatus.class);
        assertEquals(NodeState.DEAD, old.state());
    }

    @Test
    void rolloutStatesKeepTheirWireNames() throws Exception {
        assertEquals(List.of("RUNNING", "PROMOTED", "ROLLED_BACK", "ABORTED"),
                java.util.Arrays.stream(RolloutState.values()).map(Enum::name).toList());
        for (RolloutState s : RolloutState.values()) {
            RolloutStatus r = new RolloutStatus(7, "iris", "1.0.0", "1.1.0", s, 25, List.of(5, 25), 1, 30,
                    new AnalysisPolicy(0.02, 250.0, 20, 10), "why", 12, "alice", T, T, null);
            String json = JSON.writeValueAsString(r);
            JsonNode tree = JSON.readTree(json);
            assertEquals(s.name(), tree.get("state").asText(), json);
            assertEquals(r, JSON.readValue(json, RolloutStatus.class));
        }
        assertFalse(RolloutState.RUNNING.finished());
        assertTrue(RolloutState.ROLLED_BACK.finished());
    }

    @Test
    void anUnknownStateIsRefusedNotGuessed() {
        assertThrows(Exception.class, () -> JSON.readValue("{\"node_id\":\"n\",\"state\":\"SLEEPY\"}",
                NodeStatus.class));
    }
}
