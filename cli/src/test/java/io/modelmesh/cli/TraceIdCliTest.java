package io.modelmesh.cli;

import io.modelmesh.api.Json;
import io.modelmesh.api.Page;
import io.modelmesh.api.trace.TraceParent;
import io.modelmesh.cli.Cli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every call of one mmctl command is a span of one trace; --verbose and server failures name it. */
class TraceIdCliTest {
    private static final Pattern PRINTED = Pattern.compile("trace id: ([0-9a-f]{32})");
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private Result mmctl(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), Map.of(), all);
    }

    private String sentTraceId() {
        TraceParent sent = TraceParent.parse(cp.last("GET", "/models").header("traceparent"));
        assertNotNull(sent, "a valid traceparent was sent");
        return sent.traceId();
    }

    @Test
    void verbosePrintsTheTraceTheCallsCarried() throws Exception {
        cp.on("GET", "/models", 200, Json.mapper().writeValueAsString(new Page<>(List.of(), 0, 50, 0)));
        Result r = mmctl("list", "--verbose");
        assertEquals(0, r.code(), r.toString());
        Matcher m = PRINTED.matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(sentTraceId(), m.group(1));

        Result quiet = mmctl("list");
        assertFalse(quiet.err().contains("trace id"), "only with --verbose: " + quiet.err());
        assertNotNull(TraceParent.parse(cp.last("GET", "/models").header("traceparent")));
    }

    @Test
    void aServerFailureNamesItsTraceAndRequest() {
        cp.on("GET", "/models", 500, "{\"status\":500,\"error\":\"internal\",\"message\":\"the control plane failed\","
                + "\"request_id\":\"abc123\"}");
        Result r = mmctl("list");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        Matcher m = PRINTED.matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(sentTraceId(), m.group(1));
        assertTrue(r.err().contains("request id: abc123"), r.err());
    }
}
