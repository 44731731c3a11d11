package io.modelmesh.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliEnvironmentTest {
    @Test
    void coloursOnlyOnATerminalWithoutNoColor() {
        assertTrue(new CliEnvironment(Map.of(), true).colour());
        assertFalse(new CliEnvironment(Map.of("NO_COLOR", "1"), true).colour());
        assertTrue(new CliEnvironment(Map.of("NO_COLOR", ""), true).colour(),
                "no-color.org: an empty NO_COLOR is unset");
        assertFalse(new CliEnvironment(Map.of(), false).colour());
    }

    @Test
    void debugFromMmDebug() {
        assertFalse(CliEnvironment.of(Map.of()).debug());
        assertFalse(CliEnvironment.of(Map.of("MM_DEBUG", "0")).debug());
        assertFalse(CliEnvironment.of(Map.of("MM_DEBUG", "false")).debug());
        assertTrue(CliEnvironment.of(Map.of("MM_DEBUG", "1")).debug());
    }

    @Test
    void homeFromMmHomeElseDotModelmesh() {
        assertEquals(Path.of("/tmp/mm").toAbsolutePath(), CliEnvironment.of(Map.of("MM_HOME", "/tmp/mm")).home());
        assertEquals(Path.of(System.getProperty("user.home"), ".modelmesh"), CliEnvironment.of(Map.of()).home());
    }

    @Test
    void noConsoleIsNoTerminal() {
        assertFalse(CliEnvironment.isTerminal(null));
    }
}
