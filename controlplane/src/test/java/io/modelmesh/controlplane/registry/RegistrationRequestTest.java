package io.modelmesh.controlplane.registry;

import io.modelmesh.api.Framework;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.registry.RegistrationRequest.Registration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistrationRequestTest {

    @Test
    void defaults() {
        Registration r = new RegistrationRequest("iris", null, null, null, null, null, null, "iris.onnx").validate();
        assertEquals("iris", r.name());
        assertNull(r.version());
        assertNull(r.framework());
        assertEquals(List.of(), r.features());
        assertEquals(Map.of(), r.metadata());
        assertTrue(r.deploy());
        assertEquals("anonymous", r.createdBy());
    }

    @Test
    void everyField() {
        Registration r = new RegistrationRequest("fraud-detector.v2", "2.1.0", "ONNX", " a, b ,c",
                List.of("team=risk", "ticket = MM-1=2"), "false", " alice ", null).validate();
        assertEquals(SemVer.parse("2.1.0"), r.version());
        assertEquals(Framework.ONNX, r.framework());
        assertEquals(List.of("a", "b", "c"), r.features());
        assertEquals(Map.of("team", "risk", "ticket", "MM-1=2"), r.metadata());
        assertFalse(r.deploy());
        assertEquals("alice", r.createdBy());
    }

    @Test
    void badFieldsAreNamedInThe400() {
        assertMessage(new RegistrationRequest(null, null, null, null, null, null, null, null), "name is missing");
        assertMessage(new RegistrationRequest("Iris", null, null, null, null, null, null, null), "'Iris' is not allowed");
        assertMessage(new RegistrationRequest("-iris", null, null, null, null, null, null, null), "is not allowed");
        assertMessage(new RegistrationRequest("x".repeat(64), null, null, null, null, null, null, null), "not allowed");
        assertMessage(new RegistrationRequest("iris", "1.0", null, null, null, null, null, null), "MAJOR.MINOR.PATCH");
        assertMessage(new RegistrationRequest("iris", null, "tensorflow", null, null, null, null, null),
                "unknown framework 'tensorflow'");
        assertMessage(new RegistrationRequest("iris", null, null, "a,,b", null, null, null, null), "empty name");
        assertMessage(new RegistrationRequest("iris", null, null, "a,a", null, null, null, null), "listed twice");
        assertMessage(new RegistrationRequest("iris", null, null, null, List.of("novalue"), null, null, null),
                "not key=value");
        assertMessage(new RegistrationRequest("iris", null, null, null, List.of("k=1", "k=2"), null, null, null),
                "given twice");
        assertMessage(new RegistrationRequest("iris", null, null, null, null, "maybe", null, null),
                "deploy must be true or false");
    }

    @Test
    void nameRule() {
        assertTrue(ModelNames.isValid("a"));
        assertTrue(ModelNames.isValid("0model_v1.2-x"));
        assertTrue(ModelNames.isValid("a".repeat(63)));
        assertFalse(ModelNames.isValid("a".repeat(64)));
        assertFalse(ModelNames.isValid("_x"));
        assertFalse(ModelNames.isValid("a/b"));
        assertFalse(ModelNames.isValid(""));
        assertFalse(ModelNames.isValid(null));
    }

    private static void assertMessage(RegistrationRequest request, String fragment) {
        InvalidInputException e = assertThrows(InvalidInputException.class, request::validate);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should mention '" + fragment + "'");
        assertEquals(400, e.status());
    }
}
