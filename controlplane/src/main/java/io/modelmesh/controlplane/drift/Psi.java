package io.modelmesh.controlplane.drift;

import java.util.Arrays;

/**
 * Population stability index of a current sample against a reference sample (pure). The reference is cut into
 * {@value #BINS} bins at its deciles (linear interpolation between order statistics, numpy's default); each value
 * falls into the bin whose lower edge is the largest edge at or below it. With {@code r} and {@code c} the shares of
 * the reference and the current sample in each bin, each floored at {@value #FLOOR} so an empty bin stays finite:
 * {@code PSI = Σ (c − r) · ln(c / r)}. 0 means the same distribution; 0.1 a small, 0.2 a significant shift.
 */
public final class Psi {
    public static final int BINS = 10;
    public static final double FLOOR = 1e-4;

    private Psi() {
    }

    /** PSI of {@code current} against {@code reference}; both non-empty. */
    public static double of(double[] reference, double[] current) {
        if (reference.length == 0 || current.length == 0) {
            throw new IllegalArgumentException("PSI needs values in both samples (reference " + reference.length
                    + ", current " + current.length + ")");
        }
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] edges = edges(sorted);
        double[] r = shares(counts(sorted, edges), reference.length);
        double[] c = shares(counts(current, edges), current.length);
        double psi = 0;
        for (int i = 0; i < BINS; i++) {
            psi += (c[i] - r[i]) * Math.log(c[i] / r[i]);
        }
        return psi;
    }

    /** The {@value #BINS}−1 inner bin edges: the reference's deciles 0.1 .. 0.9. */
    static double[] edges(double[] sortedReference) {
        double[] edges = new double[BINS - 1];
        int n = sortedReference.length;
        for (int i = 1; i < BINS; i++) {
            double position = (n - 1) * (double) i / BINS;
            int below = (int) Math.floor(position);
            int above = Math.min(below + 1, n - 1);
            double fraction = position - below;
            edges[i - 1] = sortedReference[below] + fraction * (sortedReference[above] - sortedReference[below]);
        }
        return edges;
    }

    /** Values per bin: bin {@code k} holds values with exactly {@code k} edges at or below them. */
    static long[] counts(double[] values, double[] edges) {
        long[] counts = new long[BINS];
        for (double v : values) {
            counts[upperBound(edges, v)]++;
        }
        return counts;
    }

    /** Number of edges {@code <= v} (binary search; edges are sorted, possibly with repeats). */
    private static int upperBound(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] shares(long[] counts, int total) {
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = Math.max((double) counts[i] / total, FLOOR);
        }
        return shares;
    }
}
