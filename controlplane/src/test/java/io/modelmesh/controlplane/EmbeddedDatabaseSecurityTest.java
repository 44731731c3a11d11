package io.modelmesh.controlplane;

import io.modelmesh.controlplane.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL is no open door: every connection needs the password the control plane generated into
 * {@code HOME/postgres-password} (0600), over TCP and the Unix socket, through JDBC and psql; a trust-mode data
 * directory of an earlier version is migrated at its next start, keeping its data.
 */
class EmbeddedDatabaseSecurityTest {
    @TempDir
    Path home;
    @TempDir
    Path scratch;

    @Test
    void connectionsWithoutThePasswordAreRefusedWhileTheControlPlaneWorks() throws Exception {
        try (ControlPlane cp = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
            Path passwordFile = home.resolve(Database.EMBEDDED_PASSWORD_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            String password = SharedDatabase.password(home);
            assertTrue(password.matches("[0-9a-f]{64}"), "256 random bits as hex");
            assertNoTrustRule(home.resolve("postgres"));

            String url = cp.database().jdbcUrl();
            assertRefused(url, "postgres", null);
            assertRefused(url, "postgres", "wrong-" + password);
            assertRefused(url, "nobody", null);
            try (Connection c = connect(url, "postgres", password)) {
                assertEquals(1, selectOne(c, "SELECT 1"));
            }

            assertEquals(200, new Api(cp.uri()).get("/health").statusCode(), "the control plane itself connects");
            refusedByPsqlUnlessAbsent(URI.create(url.substring("jdbc:".length())).getPort(), password);
        }
    }

    @Test
    void aTrustModeDirectoryFromAnEarlierVersionIsMigratedKeepingItsData() throws Exception {
        Path dataDir = home.resolve("postgres");
        int legacyPort;
        // what earlier versions did: zonky's defaults, initdb -A trust, no password
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1").start()) {
            legacyPort = legacy.getPort();
            try (Connection c = connect("jdbc:postgresql://127.0.0.1:" + legacyPort + "/postgres", "postgres", null);
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA legacy"); // beside the control plane's own schema, which Flyway checks
                s.execute("CREATE TABLE legacy.rows (x int)");
                s.execute("INSERT INTO legacy.rows VALUES (42)");
            }
        }
        assertTrue(rules(dataDir).stream().anyMatch(r -> r.contains("trust")), "precondition: trust rules");
        assertFalse(Files.exists(home.resolve(Database.EMBEDDED_PASSWORD_FILE)));

        try (ControlPlane cp = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
            String password = SharedDatabase.password(home);
            assertNoTrustRule(dataDir);
            String url = cp.database().jdbcUrl();
            assertRefused(url, "postgres", null);
            try (Connection c = connect(url, "postgres", password)) {
                assertEquals(42, selectOne(c, "SELECT x FROM legacy.rows"), "data kept");
            }
            assertEquals(200, new Api(cp.uri()).get("/health").statusCode());
        }
        String log = Files.readString(home.resolve("postgres.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains(SharedDatabase.password(home)), "the password is in no server log");

        // an edit that opens the door again does not survive the next start
        Files.writeString(dataDir.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
        try (ControlPlane cp = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
            assertNoTrustRule(dataDir);
            assertRefused(cp.database().jdbcUrl(), "postgres", null);
        }
    }

    @Test
    void aMissingPasswordFileIsAClearErrorNotAnOpenDoor() throws Exception {
        ControlPlane.start(ControlPlaneConfig.forTests(home)).close();
        Files.delete(home.resolve(Database.EMBEDDED_PASSWORD_FILE));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlPlane.start(ControlPlaneConfig.forTests(home)));
        assertTrue(e.getMessage().contains("postgres-password is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("restore that file"), e.getMessage());
        assertNoTrustRule(home.resolve("postgres"));
    }

    @Test
    void everyHomeGetsItsOwnPassword() {
        ControlPlane.start(ControlPlaneConfig.forTests(home)).close();
        ControlPlane.start(ControlPlaneConfig.forTests(scratch)).close();
        assertNotEquals(SharedDatabase.password(home), SharedDatabase.password(scratch));
    }

    /** psql without the password, over TCP and the Unix socket, cannot run COPY ... TO PROGRAM; with it, it logs in. */
    private void refusedByPsqlUnlessAbsent(int port, String password) throws Exception {
        Path psql = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "psql")).filter(Files::isExecutable).findFirst().orElse(null);
        if (psql == null) {
            System.err.println("psql is not on PATH: the JDBC checks ran, the psql ones are skipped");
            return;
        }
        Path marker = scratch.resolve("pwned");
        String attack = "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'";
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1"));
        for (String dir : List.of("/tmp", "/var/run/postgresql", "/run/postgresql")) {
            if (Files.exists(Path.of(dir, ".s.PGSQL." + port))) {
                hosts.add(dir); // the Unix socket ('local' rules)
            }
        }
        for (String host : hosts) {
            Psql refused = psql(psql, host, port, null, attack);
            assertNotEquals(0, refused.code(), host + ": " + refused.output());
            assertTrue(refused.output().contains("password"), host + ": " + refused.output());
            assertFalse(Files.exists(marker), host + ": COPY TO PROGRAM ran");
        }
        Psql allowed = psql(psql, "127.0.0.1", port, password, "SELECT 1");
        assertEquals(0, allowed.code(), "with the password psql logs in: " + allowed.output());
    }

    private record Psql(int code, String output) {
    }

    private Psql psql(Path psql, String host, int port, String password, String sql) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(psql.toString(), "-w", "-h", host, "-p", Integer.toString(port),
                "-U", "postgres", "-d", "postgres", "-c", sql).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGPASSFILE", scratch.resolve("no-pgpass").toString());
        env.put("PGCONNECT_TIMEOUT", "10");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "psql finished");
        return new Psql(p.exitValue(), out);
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, props);
    }

    private static void assertRefused(String url, String user, String password) {
        SQLException e = assertThrows(SQLException.class, () -> connect(url, user, password).close(),
                user + " without the right password must be refused");
        String m = e.getMessage();
        assertTrue(m.contains("password authentication failed") || m.contains("no password was provided"), m);
    }

    private static int selectOne(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    private static void assertNoTrustRule(Path dataDir) throws IOException {
        List<String> rules = rules(dataDir);
        assertFalse(rules.isEmpty(), "pg_hba.conf has rules");
        for (String r : rules) {
            assertTrue(r.endsWith("scram-sha-256"), "password-only rule: " + r);
        }
    }

    private static List<String> rules(Path dataDir) throws IOException {
        return Files.readAllLines(dataDir.resolve("pg_hba.conf")).stream()
                .map(l -> l.contains("#") ? l.substring(0, l.indexOf('#')) : l)
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
