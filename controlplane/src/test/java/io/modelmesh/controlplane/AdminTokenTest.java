package io.modelmesh.controlplane;

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

/** The admin token: from flags or environment, else HOME/admin-token created once (owner-only) and reused. */
class AdminTokenTest {
    @TempDir
    Path home;

    @Test
    void theTokenFileIsCreatedOwnerOnlyAndReused() throws Exception {
        ControlPlaneConfig config = ControlPlaneConfig.forTests(home);
        String first = AdminTokenFile.resolve(config);
        Path file = home.resolve("admin-token");
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, AdminTokenFile.resolve(config), "reused on restart");
        try (var files = Files.list(home)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertNotEquals(first, AdminTokenFile.resolve(ControlPlaneConfig.forTests(home.resolve("other"))),
                "random per home");
        assertEquals("given-token", AdminTokenFile.resolve(config.withAdminToken("given-token")));
    }

    @Test
    void anEmptyTokenFileIsRefusedSayingWhatToDo() throws Exception {
        Files.writeString(home.resolve("admin-token"), "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AdminTokenFile.resolve(ControlPlaneConfig.forTests(home)));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }

    @Test
    void flagsAndEnvironment() {
        Map<String, String> env = Map.of("HOME", "/home/u", "MM_ADMIN_TOKEN", "from-env");
        assertEquals("from-env", ControlPlaneConfig.fromArgs(new String[0], env).adminToken());
        assertEquals("from-flag", ControlPlaneConfig.fromArgs(new String[] {"--admin-token", "from-flag"}, env)
                .adminToken());
        assertNull(ControlPlaneConfig.fromArgs(new String[0], Map.of("HOME", "/home/u")).adminToken());
        assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(new String[] {"--admin-token", "with space"}, env));
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--admin-token", "s3cret",
                "--database-url", "jdbc:postgresql://db/mm?password=pw"}, env);
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertFalse(c.toString().contains("pw"), c.toString());
    }
}
