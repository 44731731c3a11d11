package io.modelmesh.dataplane.metrics;

/** What the node's model loading and batching report for metrics ({@link PredictionMetrics} counts them). */
public interface ServingEvents {
    /** Nothing is counted: for tests that build the serving parts without metrics. */
    ServingEvents NONE = new ServingEvents() {
        @Override
        public void loaded(String model, long nanos) {
        }

        @Override
        public void loadFailed(String model) {
        }

        @Override
        public void batch(String model, String version, int rows) {
        }
    };

    /** A version of {@code model} was made servable (downloaded, verified, validated, loaded, warmed) in nanos. */
    void loaded(String model, long nanos);

    /** A version of {@code model} could not be made servable. */
    void loadFailed(String model);

    /** One engine call ran {@code rows} rows. */
    void batch(String model, String version, int rows);
}
