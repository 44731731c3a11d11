package io.modelmesh.api;

import java.util.List;

/**
 * One named input or output of a model, as read from the artifact.
 *
 * @param name     tensor name in the model
 * @param datatype Open Inference Protocol datatype: FP32, FP64, INT64, INT32, BOOL, BYTES ...
 * @param shape    dimensions; -1 for a dynamic dimension (usually the batch)
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {
    public TensorSpec {
        shape = List.copyOf(shape);
    }
}
