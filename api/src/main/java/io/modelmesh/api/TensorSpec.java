package io.modelmesh.api;

import java.util.List;

/**
 * One named input or output of a model, as read from the artifact.
 *
 * @param name     tensor name in the model (for tabular models served column by column, the feature name)
 * @param datatype Open Inference Protocol datatype: FP32, FP64, INT64, INT32, BOOL, BYTES ...
 * @param shape    dimensions; -1 for a dynamic dimension (usually the batch)
 * @param labels   names of the entries along the last dimension, when the model names them (a classifier's class names
 *                 for its probabilities); empty otherwise
 */
public record TensorSpec(String name, String datatype, List<Long> shape, List<String> labels) {
    public TensorSpec {
        shape = List.copyOf(shape);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public TensorSpec(String name, String datatype, List<Long> shape) {
        this(name, datatype, shape, List.of());
    }
}
