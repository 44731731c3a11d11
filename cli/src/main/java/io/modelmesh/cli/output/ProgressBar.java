package io.modelmesh.cli.output;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * An upload progress bar on one stderr line, redrawn in place ({@code \r}) at most ten times a second. Only for a
 * person at a terminal: the caller creates none when output is piped. Fed from the HTTP client's threads.
 */
public final class ProgressBar implements LongConsumer, AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 30;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final LongSupplier nanos;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnWidth;
    private boolean finished;

    public ProgressBar(PrintWriter err, String label, long total, LongSupplier nanos) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    @Override
    public synchronized void accept(long sent) {
        long now = nanos.getAsLong();
        boolean done = sent >= total;
        if (finished || !done && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        finished = done;
        draw(done ? render(label, total, total, now - start) + "  validating on the control plane..."
                : render(label, sent, total, now - start));
    }

    /** Clears the line, so what is printed next starts on a clean line. */
    @Override
    public synchronized void close() {
        if (drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
            drawnWidth = 0;
        }
    }

    private void draw(String line) {
        String padded = line.length() < drawnWidth ? line + " ".repeat(drawnWidth - line.length()) : line;
        err.print("\r" + padded);
        err.flush();
        drawnWidth = Math.max(drawnWidth, line.length());
    }

    /** {@code uploading NAME [#########.........]  31%  62.0 MiB / 200.0 MiB  48.2 MiB/s}. Pure. */
    public static String render(String label, long sent, long total, long elapsedNanos) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) sent / total);
        int filled = (int) Math.round(fraction * BAR);
        double seconds = elapsedNanos / 1e9;
        String rate = seconds > 0 ? Format.bytes((long) (sent / seconds)) + "/s" : "";
        return String.format(Locale.ROOT, "uploading %s [%s%s] %3d%%  %s / %s  %s", label, "#".repeat(filled),
                ".".repeat(BAR - filled), (int) Math.floor(fraction * 100), Format.bytes(sent), Format.bytes(total),
                rate).stripTrailing();
    }
}
