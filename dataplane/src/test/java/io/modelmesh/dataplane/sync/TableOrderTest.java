package io.modelmesh.dataplane.sync;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.sync.TableOrder.Decision;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which offered tables a node moves to: revisions grow within one identity; another identity's table is adopted. */
class TableOrderTest {
    static final String A = "0b0e5c3e-0000-4000-8000-00000000000a";
    static final String B = "0b0e5c3e-0000-4000-8000-00000000000b";

    static RoutingTable table(String cluster, long epoch, long revision, String... models) {
        Map<String, ModelRoute> routes = new java.util.TreeMap<>();
        for (String m : models) {
            routes.put(m, new ModelRoute(m, List.of(), null));
        }
        return new RoutingTable(revision, Instant.EPOCH, routes, cluster, epoch);
    }

    @Test
    void withinOneIdentityRevisionsOnlyGrow() {
        RoutingTable serving = table(A, 1, 7, "iris");
        assertEquals(Decision.NEWER, TableOrder.decide(serving, table(A, 1, 8, "iris", "wine")));
        assertEquals(Decision.OLDER, TableOrder.decide(serving, table(A, 1, 6, "iris")));
        assertEquals(Decision.SAME, TableOrder.decide(serving, table(A, 1, 7, "iris")));
        assertEquals(Decision.NEWER, TableOrder.decide(serving, table(A, 1, 7, "iris", "wine")),
                "the same revision with other content (a model retried) is taken");
    }

    @Test
    void anotherClusterOrANewerEpochIsAdoptedWhateverItsRevision() {
        RoutingTable serving = table(A, 1, 40, "iris");
        assertEquals(Decision.ADOPT, TableOrder.decide(serving, table(B, 1, 2, "wine")), "a wiped database");
        assertEquals(Decision.ADOPT, TableOrder.decide(serving, table(A, 2, 35, "iris")), "a restored backup");
        assertEquals(Decision.OLDER, TableOrder.decide(table(A, 2, 3, "iris"), table(A, 1, 40, "iris")),
                "an older epoch never wins");
    }

    @Test
    void aStrangerThatDeployedNothingYetIsNotFollowedButItsFirstRevisionIs() {
        RoutingTable serving = table(A, 1, 40, "iris");
        assertEquals(Decision.EMPTY_STRANGER, TableOrder.decide(serving, table(B, 1, 0)));
        assertEquals(Decision.ADOPT, TableOrder.decide(serving, table(B, 1, 1, "wine")));
    }

    @Test
    void aNodeServingNothingTakesAnyTableAndATableWithoutIdentityCannotReplaceOneWithIt() {
        RoutingTable none = RoutingTable.empty();
        assertEquals(Decision.ADOPT, TableOrder.decide(none, table(A, 1, 1, "iris")));
        assertEquals(Decision.SAME, TableOrder.decide(none, table(null, 0, 0)));
        assertEquals(Decision.OLDER, TableOrder.decide(table(A, 1, 4, "iris"), table(null, 0, 9, "iris")));
    }

    @Test
    void aNoticeIsWorthAFetchOnlyWhenItNamesATableToMoveTo() {
        RoutingTable serving = table(A, 1, 7, "iris");
        assertTrue(TableOrder.worthFetching(serving, A, 1, 8));
        assertFalse(TableOrder.worthFetching(serving, A, 1, 7));
        assertFalse(TableOrder.worthFetching(serving, A, 0, 9), "an older epoch");
        assertTrue(TableOrder.worthFetching(serving, A, 2, 1), "a newer epoch");
        assertTrue(TableOrder.worthFetching(serving, B, 1, 1), "another cluster with a revision");
        assertFalse(TableOrder.worthFetching(serving, B, 1, 0), "another cluster with nothing deployed");
        assertTrue(TableOrder.worthFetching(serving, null, 0, 8), "a control plane without identity: by revision");
    }
}
