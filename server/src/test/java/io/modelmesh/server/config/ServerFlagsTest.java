package io.modelmesh.server.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerFlagsTest {
    private static final ServerFlags FLAGS = new ServerFlags("server", List.of(
            ServerFlags.Flag.value("--port", "PORT", "port to bind"),
            ServerFlags.Flag.value("--home", "DIR", "state directory [MM_HOME]"),
            new ServerFlags.Flag("--echo-route", ServerFlags.Arity.NONE, null, "mount POST /echo"),
            new ServerFlags.Flag("--access-log", ServerFlags.Arity.OPTIONAL, "true|false", "log every request")));

    @Test
    void bothValueFormsNoValueAndOptionalValues() {
        assertEquals(Map.of("--port", "8000", "--home", "/x", "--echo-route", "true", "--access-log", "true"),
                FLAGS.parse(new String[]{"--port", "8000", "--home=/x", "--echo-route", "--access-log"}));
        assertEquals(Map.of("--access-log", "false"), FLAGS.parse(new String[]{"--access-log=false"}));
        assertEquals(Map.of("--port", "2"), FLAGS.parse(new String[]{"--port", "1", "--port", "2"}),
                "the last of a repeated flag wins");
        assertEquals(Map.of(), FLAGS.parse(new String[0]));
    }

    @Test
    void mistakesSayWhatIsWrong() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> FLAGS.parse(new String[]{"--prot", "1"}))
                .getMessage();
        assertTrue(unknown.startsWith("unknown option --prot (did you mean --port?)"), unknown);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FLAGS.parse(new String[]{"--nope=1"}))
                .getMessage().startsWith("unknown option --nope"));
        assertEquals("option --home needs a value",
                assertThrows(IllegalArgumentException.class, () -> FLAGS.parse(new String[]{"--home"})).getMessage());
        assertEquals("unexpected argument 'serve': options start with --",
                assertThrows(IllegalArgumentException.class, () -> FLAGS.parse(new String[]{"serve"})).getMessage());
    }

    @Test
    void helpIsAskedForAndTheUsageListsEveryFlag() {
        assertThrows(ServerFlags.HelpRequested.class, () -> FLAGS.parse(new String[]{"--help"}));
        assertThrows(ServerFlags.HelpRequested.class, () -> FLAGS.parse(new String[]{"--port", "1", "-h"}));
        String usage = FLAGS.usage();
        for (String f : List.of("--port=PORT", "--home=DIR", "--echo-route", "--access-log[=true|false]", "--help",
                "state directory [MM_HOME]")) {
            assertTrue(usage.contains(f), f + " in:\n" + usage);
        }
    }
}
