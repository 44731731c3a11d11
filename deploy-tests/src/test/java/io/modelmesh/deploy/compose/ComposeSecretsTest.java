package io.modelmesh.deploy.compose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/compose-secrets.sh, the one source of compose.yaml's secrets: random values of the servers' token form, kept
 * when it runs again, made anew (in both copies) when a file is deleted, and permissions that keep them from other
 * users of the host while the containers' users can read them.
 */
class ComposeSecretsTest {
    private static final List<String> FILES = List.of("admin-token", "join-token", "db-password",
            "grafana-admin-password");

    private static void run(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", ComposeFile.repository().resolve("deploy/compose-secrets.sh").toString(),
                "--dir", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "compose-secrets.sh did not finish");
        assertEquals(0, p.exitValue(), out);
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String f : FILES) {
            out.put(f, Files.readString(dir.resolve("secrets").resolve(f)));
        }
        out.put("controlplane.env", Files.readString(dir.resolve("controlplane.env")));
        return out;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void makesRandomSecretsOnceWithTightPermissions(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve(".compose");
        run(dir);
        Map<String, String> first = read(dir);
        for (String token : List.of("admin-token", "join-token")) {
            assertTrue(first.get(token).matches("mmt_[A-Za-z0-9_-]{43}\n"), token + ": " + first.get(token).length());
        }
        assertTrue(first.get("db-password").matches("[A-Za-z0-9_-]{43}\n"), "32 random bytes, URL-safe");
        assertNotEquals(first.get("admin-token"), first.get("join-token"));
        assertEquals("# Made by deploy/compose-secrets.sh from secrets/admin-token and secrets/join-token; read by "
                + "compose.yaml.\nMM_ADMIN_TOKEN=" + first.get("admin-token") + "MM_JOIN_TOKEN="
                + first.get("join-token"), first.get("controlplane.env"));

        assertEquals("rwx------", mode(dir), "only the owner enters the directory");
        assertEquals("rwx------", mode(dir.resolve("secrets")));
        assertEquals("rw-------", mode(dir.resolve("controlplane.env")), "read by compose itself");
        for (String f : FILES) {
            assertEquals("rw-r--r--", mode(dir.resolve("secrets").resolve(f)), f + ": the containers' users read it");
        }

        run(dir);
        assertEquals(first, read(dir), "running it again changes nothing");

        Files.delete(dir.resolve("secrets/admin-token"));
        run(dir);
        Map<String, String> rotated = read(dir);
        assertNotEquals(first.get("admin-token"), rotated.get("admin-token"), "a deleted token is made anew");
        assertTrue(rotated.get("controlplane.env").contains("MM_ADMIN_TOKEN=" + rotated.get("admin-token")),
                "and the control planes' copy follows it");
        assertEquals(first.get("join-token"), rotated.get("join-token"), "the others are kept");
    }
}
