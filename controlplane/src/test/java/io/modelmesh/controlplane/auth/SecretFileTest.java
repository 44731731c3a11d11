package io.modelmesh.controlplane.auth;

import io.modelmesh.controlplane.ControlPlaneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secret files (created owner-only, reused, replaced atomically) and how tokens reach the control plane's config. */
class SecretFileTest {
    @TempDir
    Path home;

    @Test
    void aSecretFileIsCreatedOwnerOnlyAndReused() throws Exception {
        Path file = home.resolve("admin-token");
        String first = SecretFile.loadOrCreate(file, () -> "mmt_first");
        assertEquals("mmt_first", first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, SecretFile.loadOrCreate(file, () -> "mmt_other"), "reused on restart");
        SecretFile.replace(file, "mmt_rotated");
        assertEquals("mmt_rotated", SecretFile.loadOrCreate(file, () -> "x"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(home)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertNotEquals(first, SecretFile.loadOrCreate(home.resolve("other"), () -> "mmt_second"));
    }

    @Test
    void anEmptyOrBinarySecretFileIsRefusedSayingWhatToDo() throws Exception {
        Files.writeString(home.resolve("admin-token"), "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretFile.loadOrCreate(home.resolve("admin-token"), () -> "x"));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        Files.writeString(home.resolve("join-token"), "a b");
        assertThrows(IllegalStateException.class, () -> SecretFile.loadOrCreate(home.resolve("join-token"), () -> "x"));
    }

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
                "jdbc:postgresql://db/mm?password=pw", "--database-password", "pw2"}, env);
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
