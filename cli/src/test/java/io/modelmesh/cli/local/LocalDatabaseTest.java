package io.modelmesh.cli.local;

import io.modelmesh.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL further control planes of {@code mmctl up --control-planes N} reach the first one's PostgreSQL with. */
class LocalDatabaseTest {
    /** What PostgreSQL 16 writes (pid, data directory, start time, port, socket directory, listen address, ...). */
    private static final String POSTMASTER_PID = """
            4242
            /h/postgres
            1796566098
            41234
            /tmp
            127.0.0.1
              5432001    131072
            ready  \s
            """;

    /** What the first control plane leaves in its home while its embedded PostgreSQL runs. */
    private static void runningDatabase(Path home, String password) throws Exception {
        Files.createDirectories(home.resolve("postgres"));
        Files.writeString(home.resolve("postgres/postmaster.pid"), POSTMASTER_PID);
        Files.writeString(home.resolve("postgres-password"), password);
    }

    @Test
    void portPasswordAndUserMakeTheUrl(@TempDir Path home) throws Exception {
        runningDatabase(home, "0a1b2c\n");
        assertEquals("postgresql://postgres:0a1b2c@127.0.0.1:41234/postgres", LocalDatabase.url(home));
    }

    @Test
    void aPasswordIsEscapedInTheUrl(@TempDir Path home) throws Exception {
        runningDatabase(home, "a@b/c:d");
        assertEquals("postgresql://postgres:a%40b%2Fc%3Ad@127.0.0.1:41234/postgres", LocalDatabase.url(home));
    }

    @Test
    void noRunningDatabaseSaysWhatToDo(@TempDir Path home) {
        CliException e = assertThrows(CliException.class, () -> LocalDatabase.url(home));
        assertTrue(e.getMessage().contains("--database-url"), e.getMessage());
    }

    @Test
    void aPostmasterPidWithoutAPortIsRefused() {
        assertThrows(CliException.class, () -> LocalDatabase.port("4242\n/h/postgres\n"));
        assertThrows(CliException.class, () -> LocalDatabase.port("4242\n/h/postgres\n1\nnot-a-port\n"));
        assertThrows(CliException.class, () -> LocalDatabase.port("4242\n/h/postgres\n1\n70000\n"));
        assertEquals(5432, LocalDatabase.port("4242\n/h/postgres\n1\n5432\n"));
    }
}
