package io.modelmesh.controlplane.auth;

import io.modelmesh.controlplane.ControlPlaneConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How tokens, allowed origins and metrics access reach the control plane's config: never a token as a flag. */
class TokenConfigTest {
    @Test
    void tokensComeFromTheEnvironmentNeverFromFlags() {
        Map<String, String> env = Map.of("HOME", "/home/u", "MM_ADMIN_TOKEN", "from-env", "MM_JOIN_TOKEN", "join-env");
        ControlPlaneConfig fromEnv = ControlPlaneConfig.fromArgs(new String[0], env);
        assertEquals("from-env", fromEnv.adminToken());
        assertEquals("join-env", fromEnv.joinToken());
        assertNull(ControlPlaneConfig.fromArgs(new String[0], Map.of("HOME", "/home/u")).adminToken());
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(new String[] {"--admin-token", "s3cret"}, env));
        assertTrue(flag.getMessage().contains("MM_ADMIN_TOKEN"), flag.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(new String[] {"--join-token", "s3cret"}, env));
        assertThrows(IllegalArgumentException.class, () -> ControlPlaneConfig.fromArgs(new String[0],
                Map.of("HOME", "/home/u", "MM_ADMIN_TOKEN", "with space")));
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--database-url",
                "jdbc:postgresql://db/mm?password=pw"}, env);
        assertFalse(c.toString().contains("from-env"), c.toString());
        assertFalse(c.toString().contains("join-env"), c.toString());
        assertFalse(c.toString().contains("pw"), c.toString());
    }

    @Test
    void metricsAreOpenOnLoopbackOnlyUnlessConfigured() {
        Map<String, String> env = Map.of("HOME", "/home/u");
        assertTrue(ControlPlaneConfig.fromArgs(new String[0], env).publicMetrics());
        assertFalse(ControlPlaneConfig.fromArgs(new String[] {"--host", "0.0.0.0"}, env).publicMetrics());
        assertTrue(ControlPlaneConfig.fromArgs(new String[] {"--host", "0.0.0.0", "--public-metrics", "true"}, env)
                .publicMetrics());
        assertFalse(ControlPlaneConfig.fromArgs(new String[] {"--public-metrics", "false"}, env).publicMetrics());
        assertEquals(java.util.List.of("https://a.example", "http://b:8"), ControlPlaneConfig.fromArgs(
                new String[] {"--cors-allowed-origins", "https://a.example, http://b:8"}, env).corsOrigins());
    }
}
