package io.modelmesh.api;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopeTest {
    @Test
    void adminImpliesEverythingDeployImpliesReadNothingElseImpliesMore() {
        for (Scope s : Scope.values()) {
            assertTrue(Scope.ADMIN.implies(s), s.toString());
            assertTrue(s.implies(s));
        }
        assertTrue(Scope.DEPLOY.implies(Scope.READ));
        for (Scope s : EnumSet.of(Scope.ADMIN, Scope.NODE, Scope.PREDICT, Scope.PREVIEW)) {
            assertFalse(Scope.DEPLOY.implies(s), s.toString());
        }
        for (Scope required : Scope.values()) {
            assertEquals(required == Scope.PREVIEW || required == Scope.PREDICT, Scope.PREVIEW.implies(required),
                    "preview is predict plus unrouted versions: " + required);
        }
        for (Scope held : EnumSet.of(Scope.READ, Scope.NODE, Scope.PREDICT)) {
            for (Scope required : Scope.values()) {
                assertEquals(held == required, held.implies(required), held + " -> " + required);
            }
        }
        assertTrue(Scope.granted(Set.of(Scope.READ, Scope.PREDICT), Scope.PREDICT));
        assertFalse(Scope.granted(Set.of(), Scope.READ));
    }

    @Test
    void parsing() {
        assertEquals(EnumSet.of(Scope.READ, Scope.DEPLOY), Scope.parseAll("read, Deploy,,"));
        assertEquals("deploy", Scope.DEPLOY.wireName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scope.parse("root"));
        assertTrue(e.getMessage().contains("read, deploy, admin, node, predict and preview"), e.getMessage());
    }
}
