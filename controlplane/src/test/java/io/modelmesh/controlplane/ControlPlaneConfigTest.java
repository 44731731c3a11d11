package io.modelmesh.controlplane;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlPlaneConfigTest {
    private static final Map<String, String> NO_ENV = Map.of("HOME", "/home/u");

    @Test
    void defaults() {
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[0], NO_ENV);
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(Path.of("/home/u/.modelmesh"), c.home());
        assertNull(c.databaseUrl());
        assertTrue(c.embeddedDatabase());
        assertEquals(2L * 1024 * 1024 * 1024, c.maxUploadBytes());
        assertEquals(Duration.ofSeconds(60), c.pushTimeout());
        assertEquals(Duration.ofSeconds(2), c.heartbeatInterval());
        assertEquals(Duration.ofSeconds(6), c.nodeDeadAfter());
    }

    @Test
    void environment() {
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[0], Map.of("MM_HOME", "/srv/mm",
                "MM_DATABASE_URL", "jdbc:postgresql://db:5432/mm", "MM_DATABASE_USER", "mm",
                "MM_DATABASE_PASSWORD", "secret", "MM_MAX_UPLOAD_BYTES", "512MiB"));
        assertEquals(Path.of("/srv/mm"), c.home());
        assertEquals("jdbc:postgresql://db:5432/mm", c.databaseUrl());
        assertEquals("mm", c.databaseUser());
        assertEquals("secret", c.databasePassword());
        assertEquals(512L * 1024 * 1024, c.maxUploadBytes());
    }

    @Test
    void severalControlPlanesShareAnArtifactDirectoryAndTuneTheControllerLease() {
        ControlPlaneConfig defaults = ControlPlaneConfig.fromArgs(new String[0], NO_ENV);
        assertEquals(Path.of("/home/u/.modelmesh/artifacts"), defaults.artifactDir());
        assertEquals(Duration.ofSeconds(3), defaults.leaseTtl());
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--artifact-dir", "~/shared/artifacts",
                "--lease-ttl", "5s"}, Map.of("HOME", "/home/u", "MM_LEASE_TTL", "2s"));
        assertEquals(Path.of("/home/u/shared/artifacts"), c.artifactDir());
        assertEquals(Duration.ofSeconds(5), c.leaseTtl(), "the flag wins over MM_LEASE_TTL");
        assertEquals(Duration.ofSeconds(2), ControlPlaneConfig.fromArgs(new String[0],
                Map.of("HOME", "/home/u", "MM_LEASE_TTL", "2s")).leaseTtl());
        for (String bad : List.of("500ms", "2m")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ControlPlaneConfig.fromArgs(new String[] {"--lease-ttl", bad}, NO_ENV));
            assertTrue(e.getMessage().startsWith("--lease-ttl must be between 1s and 1m"), e.getMessage());
        }
    }

    @TempDir
    Path dir;

    @Test
    void flagsWinOverEnvironmentInBothForms() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("db-password"), "p\n");
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--host", "0.0.0.0", "--port=9090",
                "--home", "~/mmhome", "--max-upload-bytes=1000", "--database-url", "jdbc:postgresql://x/y",
                "--database-user=u", "--database-password-file", passwordFile.toString()}, Map.of("HOME", "/home/u",
                "MM_HOME", "/ignored", "MM_MAX_UPLOAD_BYTES", "5", "MM_DATABASE_PASSWORD", "from-env"));
        assertEquals("0.0.0.0", c.host());
        assertEquals(9090, c.port());
        assertEquals(Path.of("/home/u/mmhome"), c.home());
        assertEquals(1000, c.maxUploadBytes());
        assertEquals("jdbc:postgresql://x/y", c.databaseUrl());
        assertEquals("u", c.databaseUser());
        assertEquals("p", c.databasePassword());
    }

    @Test
    void libpqStyleUrlsBecomeJdbcWithCredentials() {
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--database-url",
                "postgresql://mm:p%40ss@db.local:6543/registry?sslmode=require"}, NO_ENV);
        assertEquals("jdbc:postgresql://db.local:6543/registry?sslmode=require", c.databaseUrl());
        assertEquals("mm", c.databaseUser());
        assertEquals("p@ss", c.databasePassword());
    }

    @Test
    void passwordsComeFromFilesOrTheEnvironmentNeverFromAFlag() throws Exception {
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(new String[] {"--database-password", "hunter2"}, NO_ENV));
        assertTrue(flag.getMessage().contains("--database-password-file"), flag.getMessage());
        assertFalse(flag.getMessage().contains("hunter2"), flag.getMessage());

        Path file = Files.writeString(dir.resolve("pw"), "from file\r\nsecond line ignored\n");
        ControlPlaneConfig viaEnv = ControlPlaneConfig.fromArgs(new String[] {"--database-url",
                "jdbc:postgresql://db/mm"}, Map.of("HOME", "/h", "MM_DATABASE_PASSWORD_FILE", file.toString(),
                "MM_DATABASE_PASSWORD", "loses to the file"));
        assertEquals("from file", viaEnv.databasePassword(), "first line, CRLF or LF");

        assertMessage("--database-password-file " + dir.resolve("missing") + " does not exist",
                "--database-password-file", dir.resolve("missing").toString());
        Files.writeString(dir.resolve("empty"), "\n");
        assertMessage("is empty", "--database-password-file", dir.resolve("empty").toString());
    }

    @Test
    void credentialsLeaveJdbcUrlsAndNeverReachMessages() {
        ControlPlaneConfig c = ControlPlaneConfig.fromArgs(new String[] {"--database-url",
                "jdbc:postgresql://db:5432/mm?user=mm&password=p%26w&ssl=true"}, NO_ENV);
        assertEquals("jdbc:postgresql://db:5432/mm?ssl=true", c.databaseUrl());
        assertEquals("mm", c.databaseUser());
        assertEquals("p&w", c.databasePassword());
        assertFalse(c.toString().contains("p&w"), c.toString());

        for (String bad : new String[] {"mysql://u:hunter2@db/x", "postgresql://u:hunter2@/x",
                "postgresql://u:hunter2@db x/y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ControlPlaneConfig.fromArgs(new String[] {"--database-url", bad}, NO_ENV));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("u:***@"), e.getMessage());
        }
    }

    @Test
    void aPasswordInADatabaseUrlFlagIsWarnedAbout() {
        assertEquals(1, ControlPlaneConfig.commandLineWarnings(new String[] {"--database-url",
                "postgresql://u:hunter2@db/x"}).size());
        assertEquals(1, ControlPlaneConfig.commandLineWarnings(new String[] {"--database-url=jdbc:postgresql://db/x"
                + "?password=hunter2"}).size());
        assertEquals(List.of(), ControlPlaneConfig.commandLineWarnings(new String[] {"--database-url",
                "postgresql://u@db/x", "--port", "1"}));
        ControlPlaneConfig.commandLineWarnings(new String[] {"--database-url", "postgresql://u:hunter2@db/x"})
                .forEach(w -> assertFalse(w.contains("hunter2"), w));
    }

    @Test
    void badFlagsSayWhatIsWrong() {
        assertMessage("unknown option --prot", "--prot", "1");
        assertMessage("--port must be a number between 0 and 65535, got 'http'", "--port", "http");
        assertMessage("--port must be a number between 0 and 65535, got '70000'", "--port", "70000");
        assertMessage("option --home needs a value", "--home");
        assertMessage("--max-upload-bytes must be a positive byte count", "--max-upload-bytes", "lots");
        assertMessage("--max-upload-bytes must be a positive byte count", "--max-upload-bytes", "0");
        assertMessage("--database-url must start with jdbc:postgresql:// or postgresql://", "--database-url",
                "mysql://x");
        assertMessage("unexpected argument 'serve'", "serve");
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(new String[0], Map.of("MM_MAX_UPLOAD_BYTES", "-3")));
        assertTrue(env.getMessage().startsWith("MM_MAX_UPLOAD_BYTES must be"), env.getMessage());
        assertThrows(ControlPlaneConfig.HelpRequested.class,
                () -> ControlPlaneConfig.fromArgs(new String[] {"--help"}, NO_ENV));
    }

    @Test
    void helpListsEveryFlagWithItsVariable() {
        String usage = ControlPlaneConfig.usage();
        for (String flag : List.of("--host", "--port", "--home", "--database-url", "--database-password-file",
                "--max-upload-bytes", "--lease-ttl", "--artifact-dir", "--read-timeout", "--log-format",
                "--access-log", "--slow-request", "--tracing-endpoint", "MM_DATABASE_URL", "MM_LEASE_TTL")) {
            assertTrue(usage.contains(flag), flag + " in:\n" + usage);
        }
        assertMessage("unknown option --prot (did you mean --port?)", "--prot", "1");
        assertMessage("--admin-token is not accepted", "--admin-token", "x");
        assertMessage("--admin-token is not accepted", "--admin-token");
        assertEquals(9, ControlPlaneConfig.fromArgs(new String[] {"--port=9", "--log-format", "text"}, NO_ENV)
                .port(), "--flag=value, and the shared flags are known");
    }

    @Test
    void byteSizes() {
        assertEquals(10, ControlPlaneConfig.parseBytes("10", "x"));
        assertEquals(2048, ControlPlaneConfig.parseBytes("2k", "x"));
        assertEquals(3L << 20, ControlPlaneConfig.parseBytes("3 MB", "x"));
        assertEquals(2L << 30, ControlPlaneConfig.parseBytes("2GiB", "x"));
    }

    @Test
    void forTestsUsesAnEphemeralPortAndTheEmbeddedDatabase() {
        ControlPlaneConfig c = ControlPlaneConfig.forTests(Path.of("/tmp/x"));
        assertEquals(0, c.port());
        assertTrue(c.embeddedDatabase());
        assertEquals(Path.of("/tmp/x"), c.home());
    }

    private static void assertMessage(String fragment, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ControlPlaneConfig.fromArgs(args, NO_ENV));
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should contain '" + fragment + "'");
    }
}
