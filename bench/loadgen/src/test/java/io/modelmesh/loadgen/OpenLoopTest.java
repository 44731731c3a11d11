package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopTest {

    @Test
    void invalidArgumentsExitWith2AndTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OpenLoop.run(new String[] {"--url", "http://h/p", "--rate", "-3", "--duration", "1s"}, print(out),
                print(err));
        assertEquals(2, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("OpenLoop: --rate wants"), e);
        assertTrue(e.contains("usage: OpenLoop"), e);
    }

    @Test
    void helpGoesToStdout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, OpenLoop.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream())));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: OpenLoop"));
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
