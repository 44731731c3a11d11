package io.modelmesh.api;

import java.util.List;

/**
 * What a version takes and returns. {@code features} names the columns of the (single) tabular input in order; it comes
 * from the artifact where it says, otherwise from {@code --features} at registration, and may be empty (then rows must be
 * arrays).
 */
public record ModelSchema(List<TensorSpec> inputs, List<TensorSpec> outputs, List<String> features) {
    public ModelSchema {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        features = features == null ? List.of() : List.copyOf(features);
    }

    public static ModelSchema empty() {
        return new ModelSchema(List.of(), List.of(), List.of());
    }
}
