package io.modelmesh.cli.output;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    @Test
    void rendersFractionSizesAndRate() {
        String line = ProgressBar.render("big.onnx", 50L << 20, 200L << 20, 2_000_000_000L);
        assertEquals("uploading big.onnx [########......................]  25%  50.0 MiB / 200.0 MiB  25.0 MiB/s",
                line);
        assertTrue(ProgressBar.render("m", 10, 10, 1).contains("100%"));
        assertTrue(ProgressBar.render("empty", 0, 0, 0).contains("100%"), "an empty file is complete");
    }

    @Test
    void redrawsAtMostTenTimesASecondAndAlwaysAtTheEnd() {
        StringWriter out = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), "m.pt", 1000, clock::get);
        bar.accept(0);
        bar.accept(100);                      // same instant: throttled
        clock.addAndGet(50_000_000L);
        bar.accept(200);                      // 50 ms later: still throttled
        clock.addAndGet(60_000_000L);
        bar.accept(300);                      // 110 ms after the first draw
        bar.accept(1000);                     // the last byte is always drawn
        bar.accept(1000);                     // and only once
        String text = out.toString();
        assertEquals(3, text.chars().filter(ch -> ch == '\r').count(), text);
        assertFalse(text.contains(" 10%") || text.contains(" 20%"), text);
        assertTrue(text.contains(" 30%"), text);
        assertTrue(text.endsWith("validating on the control plane..."), text);
        bar.close();
        assertTrue(out.toString().endsWith("\r"), "the line is cleared for what follows");
    }
}
