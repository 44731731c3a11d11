package io.modelmesh.server.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NASTY = "quote \" backslash \\ newline \n return \r tab \t bell \u0007 nul \u0000 "
            + "del \u007f sep \u2028 emoji \uD83D\uDE00 umlaut ü";

    @Test
    void everyCharacterSurvivesAsOneLineOfJson() throws Exception {
        LogRecord r = new LogRecord(Level.WARNING, NASTY);
        r.setLoggerName("io.modelmesh.test");
        String line = new JsonLogFormatter("dataplane").format(r);
        assertTrue(line.endsWith("}\n"));
        assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
        JsonNode n = JSON.readTree(line);
        assertEquals(NASTY, n.get("message").asText());
        assertEquals("WARN", n.get("level").asText());
        assertEquals("io.modelmesh.test", n.get("logger").asText());
        assertEquals("dataplane", n.get("server").asText());
        assertEquals(r.getInstant().toString(), n.get("time").asText());
    }

    @Test
    void structuredFieldsAreTopLevelMembersWithTheirTypes() throws Exception {
        LogRecord r = new LogRecord(Level.INFO, "POST /predict/iris 200");
        r.setLoggerName("io.modelmesh.request");
        r.setParameters(new Object[]{(LogFields) (BiConsumer<String, Object> f) -> {
            f.accept("request_id", "r-1");
            f.accept("status", 200);
            f.accept("latency_ms", 1.25);
            f.accept("slow", true);
            f.accept("model", null);
            f.accept("path", NASTY);
        }});
        JsonNode n = JSON.readTree(new JsonLogFormatter(null).format(r));
        assertEquals("POST /predict/iris 200", n.get("message").asText());
        assertEquals("r-1", n.get("request_id").asText());
        assertTrue(n.get("status").isInt());
        assertEquals(200, n.get("status").asInt());
        assertEquals(1.25, n.get("latency_ms").asDouble());
        assertTrue(n.get("slow").asBoolean());
        assertFalse(n.has("model"), "null fields are left out");
        assertFalse(n.has("server"));
        assertEquals(NASTY, n.get("path").asText());
    }

    @Test
    void parametersAndStackTracesAreWritten() throws Exception {
        LogRecord r = new LogRecord(Level.SEVERE, "node {0} failed after {1} ms");
        r.setLoggerName("x");
        r.setParameters(new Object[]{"node-a", 12});
        r.setThrown(new IllegalStateException("broken \"badly\"\nreally"));
        JsonNode n = JSON.readTree(new JsonLogFormatter("controlplane").format(r));
        assertEquals("node node-a failed after 12 ms", n.get("message").asText());
        assertEquals("ERROR", n.get("level").asText());
        assertEquals("java.lang.IllegalStateException: broken \"badly\"\nreally", n.get("exception").asText());
        assertTrue(n.get("stack").asText().contains("JsonLogFormatterTest"), n.get("stack").asText());
    }

    @Test
    void textLinesCarryTheSameFields() {
        LogRecord r = new LogRecord(Level.INFO, "GET /health 200");
        r.setLoggerName("io.modelmesh.request");
        r.setParameters(new Object[]{(LogFields) (BiConsumer<String, Object> f) -> {
            f.accept("trace_id", "abc");
            f.accept("status", 200);
        }});
        String line = new TextLogFormatter().format(r);
        assertTrue(line.matches("\\S+Z INFO io\\.modelmesh\\.request GET /health 200 trace_id=abc status=200\n"), line);
    }
}
