package io.modelmesh.engine;

import io.modelmesh.api.ModelSchema;

/**
 * A model in memory, ready for concurrent {@link #predict} calls from many threads. Owns native resources until
 * {@link #close}.
 */
public interface LoadedModel extends AutoCloseable {

    ModelSchema schema();

    /** Number of values in one input row, or -1 when the model does not fix it. */
    int rowWidth();

    /**
     * Runs the model over a batch of rows in one native call.
     *
     * @throws InvalidInputException when the batch does not fit the model (wrong row width)
     * @throws InferenceException    when the runtime fails
     */
    BatchResult predict(FloatBatch batch);

    /** Runs one all-zero row so the first real request does not pay for lazy initialisation. */
    default void warmUp() {
        int width = Math.max(rowWidth(), 1);
        predict(new FloatBatch(new float[width], 1, width));
    }

    @Override
    void close();
}
