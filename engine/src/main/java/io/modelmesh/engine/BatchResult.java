package io.modelmesh.engine;

import java.util.List;

/** The outputs of one batch, in the model's output order. */
public record BatchResult(List<OutputTensor> outputs) {
    public BatchResult {
        outputs = List.copyOf(outputs);
    }
}
