package io.modelmesh.metrics;

/** One metric family in the Prometheus text exposition. */
public sealed interface Metric permits Counter, Gauge, Histogram {

    String name();

    /** Appends {@code # HELP}, {@code # TYPE} and the samples. */
    void writeTo(StringBuilder out);
}
