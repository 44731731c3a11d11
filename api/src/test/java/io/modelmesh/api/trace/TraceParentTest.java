package io.modelmesh.api.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceParentTest {
    @Test
    void validHeadersAreHonoured() {
        TraceParent t = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertEquals(new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01"), t);
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", t.header());
        // a later version may carry more fields; its first four are read
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra").traceId());
    }

    @Test
    void invalidHeadersStartANewTrace() {
        assertNull(TraceParent.parse(null));
        assertNull(TraceParent.parse(""));
        assertNull(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "zero trace id");
        assertNull(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"), "zero parent id");
        assertNull(TraceParent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "upper case");
        assertNull(TraceParent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "version ff");
        assertNull(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"), "00 has 4 fields");
        assertNull(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"), "short trace id");
    }

    @Test
    void newIdsAreLowerCaseHexOfTheirLengthAndParseBack() {
        for (int i = 0; i < 1000; i++) {
            TraceParent t = TraceParent.newTrace();
            assertTrue(t.traceId().matches("[0-9a-f]{32}"), t.traceId());
            assertTrue(t.spanId().matches("[0-9a-f]{16}"), t.spanId());
            assertEquals(t, TraceParent.parse(t.header()), "a valid traceparent (not all zero)");
        }
        assertTrue(TraceParent.random(3).matches("[0-9a-f]{6}"), "a length that is not a multiple of 8 bytes");
        assertNotEquals(TraceParent.random(8), TraceParent.random(8));
    }
}
