package io.modelmesh.controlplane.drift;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.controlplane.nodes.OutcomeReportRules;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns drift is followed on for a version (pure): its feature names, or, when it names none and its one input
 * is {@code [batch, W]} (or any fixed shape of W values per row), the column numbers {@code "0"} .. {@code "W-1"}.
 * Inputs wider than {@value OutcomeReportRules#MAX_VALUES_PER_ROW} values per row (images, embeddings) have no drift
 * columns: per-value statistics say little about them.
 */
public final class DriftColumns {
    private DriftColumns() {
    }

    public static List<String> of(ModelSchema schema) {
        if (schema == null) {
            return List.of();
        }
        if (!schema.features().isEmpty()) {
            return schema.features().size() <= OutcomeReportRules.MAX_VALUES_PER_ROW ? schema.features() : List.of();
        }
        if (schema.inputs().size() != 1) {
            return List.of();
        }
        TensorSpec input = schema.inputs().getFirst();
        long width = 1;
        List<Long> shape = input.shape();
        if (shape.size() < 2) {
            return List.of();
        }
        for (int i = 1; i < shape.size(); i++) {
            long d = shape.get(i);
            if (d <= 0 || width * d > OutcomeReportRules.MAX_VALUES_PER_ROW) {
                return List.of();
            }
            width *= d;
        }
        List<String> names = new ArrayList<>((int) width);
        for (int i = 0; i < width; i++) {
            names.add(Integer.toString(i));
        }
        return List.copyOf(names);
    }
}
