package io.modelmesh.dataplane.routing;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    private static final int KEYS = 100_000;

    static RouteTarget target(String v, int weight, RouteTarget.Role role) {
        return new RouteTarget(v, "onnx", "0".repeat(64), 1, weight, role, ModelSchema.empty());
    }

    static ServingTable table(RouteTarget... targets) {
        return table(null, targets);
    }

    static ServingTable table(String stickyKey, RouteTarget... targets) {
        ModelRoute route = new ModelRoute("m", List.of(targets), stickyKey);
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        for (RouteTarget t : targets) {
            versions.put(t.version(), new ServedVersion("m", t, null));
        }
        return new ServingTable(new RoutingTable(1, Instant.EPOCH, Map.of("m", route)),
                Map.of("m", ServedModel.of(route, versions)));
    }

    private static String user(int i) {
        return "user-" + i;
    }

    /** Version per user key under a table. */
    private static String[] assign(ServingTable t) {
        String[] out = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            out[i] = Router.pick(t, "m", null, StickyHash.of(user(i))).version();
        }
        return out;
    }

    private static Map<String, Integer> counts(String[] assigned) {
        Map<String, Integer> c = new HashMap<>();
        for (String v : assigned) {
            c.merge(v, 1, Integer::sum);
        }
        return c;
    }

    private static void assertShare(double expectedPercent, int count, String what) {
        double percent = 100.0 * count / KEYS;
        assertEquals(expectedPercent, percent, 1.0, what + ": " + percent + " %");
    }

    @Test
    void sameKeyAlwaysGetsTheSameVersion() {
        ServingTable t = table(target("1.0.0", 50, RouteTarget.Role.ARM), target("2.0.0", 50, RouteTarget.Role.ARM));
        ServingTable again = table(target("1.0.0", 50, RouteTarget.Role.ARM), target("2.0.0", 50, RouteTarget.Role.ARM));
        for (int i = 0; i < 1_000; i++) {
            String first = Router.pick(t, "m", null, StickyHash.of(user(i))).version();
            for (int r = 0; r < 5; r++) {
                assertEquals(first, Router.pick(t, "m", null, StickyHash.of(user(i))).version());
            }
            assertEquals(first, Router.pick(again, "m", null, StickyHash.of(user(i))).version(),
                    "a rebuilt table (another node, a restart) assigns the same way");
        }
    }

    @Test
    void keysSplitByWeightWithinOnePercent() {
        Map<String, Integer> c = counts(assign(table(target("1.0.0", 60, RouteTarget.Role.ARM),
                target("2.0.0", 30, RouteTarget.Role.ARM), target("3.0.0", 10, RouteTarget.Role.ARM))));
        assertShare(60, c.get("1.0.0"), "1.0.0");
        assertShare(30, c.get("2.0.0"), "2.0.0");
        assertShare(10, c.get("3.0.0"), "3.0.0");
    }

    @Test
    void canaryStepFiveToTwentyFiveMovesTwentyPercentAllFromStableToCanary() {
        String[] before = assign(table(target("1.0.0", 95, RouteTarget.Role.STABLE),
                target("2.0.0", 5, RouteTarget.Role.CANARY)));
        String[] after = assign(table(target("1.0.0", 75, RouteTarget.Role.STABLE),
                target("2.0.0", 25, RouteTarget.Role.CANARY)));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
                assertEquals("1.0.0", before[i], "only stable keys move");
                assertEquals("2.0.0", after[i], "and only onto the canary");
            }
        }
        assertShare(20, moved, "moved");
    }

    @Test
    void threeArmsMovingShareProportionallyOntoOneArmMovesExactlyThatShare() {
        // A and B each keep 80 % of their weight; C takes the 16 % they gave up
        String[] before = assign(table(target("a", 50, RouteTarget.Role.ARM), target("b", 30, RouteTarget.Role.ARM),
                target("c", 20, RouteTarget.Role.ARM)));
        String[] after = assign(table(target("a", 40, RouteTarget.Role.ARM), target("b", 24, RouteTarget.Role.ARM),
                target("c", 36, RouteTarget.Role.ARM)));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
                assertEquals("c", after[i], "keys move only onto the arm that grew");
            }
        }
        assertShare(16, moved, "moved");
    }

    @Test
    void threeArmsKeysMoveOnlyTowardsArmsThatGrewRelativelyMore() {
        // a shrinks (x0.8), b grows (x1.33), c keeps its weight: keys may leave a or c, and may join b or c
        String[] before = assign(table(target("a", 50, RouteTarget.Role.ARM), target("b", 30, RouteTarget.Role.ARM),
                target("c", 20, RouteTarget.Role.ARM)));
        String[] after = assign(table(target("a", 40, RouteTarget.Role.ARM), target("b", 40, RouteTarget.Role.ARM),
                target("c", 20, RouteTarget.Role.ARM)));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
                assertNotEquals("b", before[i], "no key leaves the arm that grew most");
                assertNotEquals("a", after[i], "no key joins the arm that shrank");
            }
        }
        Map<String, Integer> c = counts(after);
        assertShare(40, c.get("a"), "a");
        assertShare(40, c.get("b"), "b");
        assertShare(20, c.get("c"), "c");
        double movedPercent = 100.0 * moved / KEYS;
        assertTrue(movedPercent >= 9 && movedPercent <= 15, "at least the 10 % that changed hands, and not much "
                + "more (c's keys churn a little): " + movedPercent + " %");
    }

    @Test
    void withoutAKeyRandomKeysSplitByWeight() {
        ServingTable t = table(target("1.0.0", 80, RouteTarget.Role.STABLE), target("2.0.0", 20, RouteTarget.Role.CANARY));
        SplittableRandom random = new SplittableRandom(7);
        int canary = 0;
        for (int i = 0; i < KEYS; i++) {
            if (Router.pick(t, "m", null, random.nextLong()).version().equals("2.0.0")) {
                canary++;
            }
        }
        assertShare(20, canary, "canary");
    }

    @Test
    void stickyHeaderIsTheRoutesOrXUserId() {
        assertEquals("X-User-Id", table(target("1.0.0", 100, RouteTarget.Role.STABLE)).models().get("m").stickyHeader());
        assertEquals("X-Tenant", table("X-Tenant", target("1.0.0", 100, RouteTarget.Role.STABLE)).models().get("m")
                .stickyHeader());
    }

    @Test
    void stickyHashIsStableAcrossRuns() {
        // pinned values: a change here re-assigns every user on upgrade
        assertEquals(0xc648a88da1e7dd74L, StickyHash.of("user-42"));
        assertEquals(0xf52a15e9a9b5e89bL, StickyHash.of(""));
        assertNotEquals(StickyHash.of("ab"), StickyHash.of("ba"));
        assertEquals(StickyHash.of("user-42"), StickyHash.of(new String("user-42".toCharArray())));
    }

    @Test
    void shadowAndZeroWeightTargetsTakeNoRoutedTraffic() {
        ServingTable t = table(target("1.0.0", 100, RouteTarget.Role.STABLE), target("2.0.0", 0, RouteTarget.Role.CANARY),
                target("3.0.0", 100, RouteTarget.Role.SHADOW));
        for (int i = 0; i < 1_000; i++) {
            assertEquals("1.0.0", Router.pick(t, "m", null, StickyHash.of(user(i))).version());
        }
        assertEquals("3.0.0", Router.pick(t, "m", "3.0.0", 0L).version(), "explicit version reaches any target");
        assertEquals("3.0.0", t.models().get("m").shadow().version());
    }

    @Test
    void unknownModelOrVersionIsNotFoundWithWhatIsServed() {
        ServingTable t = table(target("1.0.0", 100, RouteTarget.Role.STABLE));
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "x", null, 0L)).getMessage().contains("[m]"));
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "m", "9.9.9", 0L)).getMessage()
                .contains("[1.0.0]"));
    }

    @Test
    void anAliasIsResolvedFromTheRoutesAliases() {
        RouteTarget stable = target("1.0.0", 90, RouteTarget.Role.STABLE);
        RouteTarget canary = target("1.1.0", 10, RouteTarget.Role.CANARY);
        ModelRoute route = new ModelRoute("m", List.of(stable, canary), null).withAliases(Map.of("champion", "1.0.0",
                "challenger", "1.1.0", "old", "0.9.0"));
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        versions.put("1.0.0", new ServedVersion("m", stable, null));
        versions.put("1.1.0", new ServedVersion("m", canary, null));
        ServingTable t = new ServingTable(new RoutingTable(1, Instant.EPOCH, Map.of("m", route)),
                Map.of("m", ServedModel.of(route, versions)));
        assertEquals("1.1.0", Router.pick(t, "m", "@challenger", 0L).version());
        assertEquals("1.0.0", Router.pick(t, "m", "@champion", 0L).version());
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "m", "@nobody", 0L)).getMessage()
                .contains("has no alias @nobody"));
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "m", "@old", 0L)).getMessage()
                .contains("names version 0.9.0, which is not deployed"));
    }

    @Test
    void noWeightedTargetIsUnavailable() {
        ServingTable t = table(target("1.0.0", 0, RouteTarget.Role.STABLE));
        assertThrows(UnavailableException.class, () -> Router.pick(t, "m", null, 0L));
    }
}
