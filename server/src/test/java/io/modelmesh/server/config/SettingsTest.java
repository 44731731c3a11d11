package io.modelmesh.server.config;

import io.modelmesh.api.Framework;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    @Test
    void byteCountsTakeBinaryUnits() {
        assertEquals(10, Settings.bytes("10", "x"));
        assertEquals(2048, Settings.bytes("2k", "x"));
        assertEquals(3L << 20, Settings.bytes("3 MB", "x"));
        assertEquals(2L << 30, Settings.bytes("2GiB", "x"));
        assertEquals("MM_X must be a positive byte count such as 2147483648, 512MiB or 2GiB, got '0'",
                assertThrows(IllegalArgumentException.class, () -> Settings.bytes("0", "MM_X")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.bytes("9999999999G", "MM_X"));
    }

    @Test
    void durationsNeedTheirUnit() {
        assertEquals(Duration.ofMillis(500), Settings.duration("500ms", "x"));
        assertEquals(Duration.ofSeconds(10), Settings.duration("10s", "x"));
        assertEquals(Duration.ofMinutes(2), Settings.duration(" 2m ", "x"));
        assertEquals("--t must be a positive duration with its unit, such as 500ms, 10s or 2m, got '10'",
                assertThrows(IllegalArgumentException.class, () -> Settings.duration("10", "--t")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.duration("0s", "--t"));
    }

    @Test
    void frameworkListsNameTheOnesAllowed() {
        assertEquals(EnumSet.allOf(Framework.class), Settings.frameworks(null, "x"));
        assertEquals(EnumSet.allOf(Framework.class), Settings.frameworks("all", "x"));
        assertEquals(Set.of(Framework.ONNX, Framework.PMML), Settings.frameworks("pmml, ONNX", "x"));
        assertEquals("onnx, pmml", Settings.list(Settings.frameworks("pmml,onnx", "x")));
        assertEquals("MM_ALLOWED_FRAMEWORKS lists 'tensorflow'; name frameworks from onnx, torchscript, sklearn, pmml "
                        + "separated by commas (or 'all')",
                assertThrows(IllegalArgumentException.class,
                        () -> Settings.frameworks("onnx,tensorflow", "MM_ALLOWED_FRAMEWORKS")).getMessage());
    }
}
