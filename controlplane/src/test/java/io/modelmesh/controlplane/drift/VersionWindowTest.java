package io.modelmesh.controlplane.drift;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows fill a served reference first, then a sliding window evaluated every tenth of a window once full. */
class VersionWindowTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    static List<float[]> rows(int from, int n, float shift) {
        List<float[]> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new float[]{(float) DriftStatisticsTest.normalish(i + 1, 7919, 0, 1)[i] + shift});
        }
        return out;
    }

    @Test
    void aServedReferenceTakesTheFirstRowsThenTheWindowSlides() {
        VersionWindow w = new VersionWindow(List.of("x"), "served", List.of(), 100, false, 100);
        VersionWindow.Split s = w.add(rows(0, 150, 0));
        assertEquals(100, s.toReference().size());
        assertEquals(50, s.toWindow().size());
        assertTrue(w.referenceComplete);
        assertFalse(w.due(), "window not full");
        w.add(rows(150, 49, 0));
        assertFalse(w.due());
        w.add(rows(199, 1, 0));
        assertTrue(w.due(), "full: evaluate");
        VersionWindow.Evaluation e = w.evaluate(T0);
        assertEquals(100, e.currentRows());
        assertFalse(w.due());
        w.add(rows(200, 9, 0));
        assertFalse(w.due(), "9 new rows of 100: not yet");
        w.add(rows(209, 1, 0));
        assertTrue(w.due(), "a tenth of the window is new");
        assertEquals(100, w.rowsOldestFirst().size());
        assertEquals(rows(110, 1, 0).getFirst()[0], w.rowsOldestFirst().getFirst()[0], "rows 110..209 are the window");
        assertEquals(rows(209, 1, 0).getFirst()[0], w.rowsOldestFirst().getLast()[0]);
    }

    @Test
    void aShiftInTheWindowIsFlaggedAndTheReferenceStaysTheFirstRows() {
        VersionWindow w = new VersionWindow(List.of("x"), "served", List.of(), 200, false, 200);
        w.add(rows(0, 400, 0));
        assertFalse(w.evaluate(T0).drifted());
        w.add(rows(400, 200, 1.0f));
        VersionWindow.Evaluation e = w.evaluate(T0.plusSeconds(1));
        assertTrue(e.drifted(), e.toString());
        assertEquals(200, w.reference.size());
    }

    @Test
    void resizingKeepsTheNewestRowsAndRetargetsAFillingReference() {
        VersionWindow w = new VersionWindow(List.of("x"), "served", List.of(), 100, false, 100);
        w.add(rows(0, 60, 0));
        w.resize(150);
        assertEquals(150, w.referenceTarget);
        assertFalse(w.referenceComplete);
        w.add(rows(60, 90 + 150, 0));
        assertTrue(w.referenceComplete);
        assertEquals(150, w.currentRows());
        w.resize(120);
        assertEquals(120, w.currentRows());
        assertEquals(120, w.window());
        assertEquals(150, w.reference.size(), "a complete reference is kept as it is");
    }

    @Test
    void storedChunksBecomeObsoleteOnceTheirRowsLeftTheWindow() {
        VersionWindow w = new VersionWindow(List.of("x"), "file", rows(0, 100, 0), 100, true, 100);
        assertEquals(-1, w.stored(1, 60));
        assertEquals(-1, w.stored(2, 40));
        assertEquals(-1, w.stored(3, 30), "chunk 1 still holds 30 of the last 100 rows");
        assertEquals(1, w.stored(4, 30), "now chunks 2..4 hold the last 100");
        assertEquals(4, w.stored(5, 100), "chunk 5 alone holds the last 100");
    }
}
