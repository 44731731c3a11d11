package io.modelmesh.controlplane.drift;

import io.modelmesh.api.FeatureDrift;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One version's drift state in memory (not thread-safe: the {@link DriftService} serialises each version): its
 * reference rows, its current window (a ring of the last {@code window} rows), the counters and the last evaluation.
 * Pure apart from the statistics it calls, so {@code bench/java/DriftDetection.java} drives the same detector.
 * Rows first fill a served reference (when the version has no file reference) up to its target, then the window.
 * The window is evaluated when it is full and a tenth of it is new since the last evaluation, so the work per row is
 * bounded whatever the traffic.
 */
public final class VersionWindow {
    /** A window is evaluated again once this share of its rows is new: bounded work, ten looks per window of rows. */
    static final int LOOKS_PER_WINDOW = 10;

    /** The outcome of the last evaluation. */
    public record Evaluation(Instant at, boolean drifted, int currentRows, List<FeatureDrift> features) {
    }

    /** A chunk of window rows as stored (so chunks that left the window can be deleted). */
    record Chunk(long seq, int rows) {
    }

    /** Where new rows went. */
    public record Split(List<float[]> toReference, List<float[]> toWindow) {
    }

    final List<String> columns;
    final String source;
    final List<float[]> reference;
    int referenceTarget;
    boolean referenceComplete;
    private float[][] ring;
    private int head;
    private int count;
    private int sinceEvaluation;
    long served;
    long received;
    long dropped;
    long rejected;
    Evaluation last;
    final Deque<Chunk> chunks = new ArrayDeque<>();
    private long chunkRows;
    Instant touched;

    /**
     * @param reference         reference rows so far (a file's, complete; or none yet for a served one)
     * @param referenceTarget   rows a served reference fills up to
     * @param referenceComplete whether the reference is final
     * @param window            rows in the current window
     */
    public VersionWindow(List<String> columns, String source, List<float[]> reference, int referenceTarget,
                         boolean referenceComplete, int window) {
        this.columns = List.copyOf(columns);
        this.source = source;
        this.reference = new ArrayList<>(reference);
        this.referenceTarget = referenceTarget;
        this.referenceComplete = referenceComplete;
        this.ring = new float[window][];
    }

    int window() {
        return ring.length;
    }

    int currentRows() {
        return count;
    }

    /** Sends rows to the served reference until it is complete, the rest into the window. */
    public Split add(List<float[]> rows) {
        List<float[]> toReference = new ArrayList<>();
        int i = 0;
        if (!referenceComplete) {
            while (i < rows.size() && reference.size() < referenceTarget) {
                toReference.add(rows.get(i));
                reference.add(rows.get(i++));
            }
            referenceComplete = reference.size() >= referenceTarget;
        }
        List<float[]> toWindow = rows.subList(i, rows.size());
        for (float[] row : toWindow) {
            ring[head] = row;
            head = (head + 1) % ring.length;
            count = Math.min(count + 1, ring.length);
            sinceEvaluation++;
        }
        return new Split(toReference, List.copyOf(toWindow));
    }

    /** Puts stored window rows back (after a restart), oldest first, without touching the reference. */
    void restore(List<float[]> rows) {
        for (float[] row : rows) {
            ring[head] = row;
            head = (head + 1) % ring.length;
            count = Math.min(count + 1, ring.length);
        }
    }

    /** Counts new rows from now on (the restored rows are taken as already evaluated). */
    void evaluated() {
        sinceEvaluation = 0;
    }

    /**
     * A new window size (the model's {@code spec.drift.window} changed): keeps the newest rows that fit; a served
     * reference still filling fills up to the new size, and one already bigger is complete.
     */
    void resize(int window) {
        if (window == ring.length) {
            return;
        }
        List<float[]> newest = rowsOldestFirst();
        ring = new float[window][];
        head = 0;
        count = 0;
        for (float[] row : newest.subList(Math.max(0, newest.size() - window), newest.size())) {
            ring[head] = row;
            head = (head + 1) % window;
            count++;
        }
        if (!referenceComplete) {
            referenceTarget = window;
            referenceComplete = reference.size() >= window;
        }
        sinceEvaluation = count;
    }

    /** Whether the window should be evaluated now. */
    public boolean due() {
        return referenceComplete && !reference.isEmpty() && count == ring.length
                && sinceEvaluation >= Math.max(1, ring.length / LOOKS_PER_WINDOW);
    }

    /** Compares the window with the reference (pure statistics) and remembers the result. */
    public Evaluation evaluate(Instant now) {
        List<FeatureDrift> features = DriftStatistics.evaluate(columns, columnsOf(reference),
                columnsOf(rowsOldestFirst()));
        sinceEvaluation = 0;
        last = new Evaluation(now, DriftStatistics.drifted(features), count, features);
        return last;
    }

    /** Records a stored chunk; returns the seq up to which stored chunks are no longer needed, or -1. */
    long stored(long seq, int rows) {
        chunks.addLast(new Chunk(seq, rows));
        chunkRows += rows;
        long obsolete = -1;
        while (!chunks.isEmpty() && chunkRows - chunks.peekFirst().rows() >= ring.length) {
            Chunk c = chunks.removeFirst();
            chunkRows -= c.rows();
            obsolete = c.seq();
        }
        return obsolete;
    }

    List<float[]> rowsOldestFirst() {
        List<float[]> out = new ArrayList<>(count);
        int start = (head - count + ring.length) % ring.length;
        for (int i = 0; i < count; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }

    private double[][] columnsOf(List<float[]> rows) {
        double[][] cols = new double[columns.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            for (int c = 0; c < cols.length; c++) {
                cols[c][r] = row[c];
            }
        }
        return cols;
    }
}
