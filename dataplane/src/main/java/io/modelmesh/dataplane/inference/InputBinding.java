package io.modelmesh.dataplane.inference;

import io.modelmesh.engine.LoadedModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How request rows map onto a model's input: the row width and, when the version has feature names, each name's
 * column. Built once per loaded version, not per request.
 */
public record InputBinding(String inputName, int rowWidth, List<String> features, Map<String, Integer> columns) {
    public InputBinding {
        features = List.copyOf(features);
        columns = Map.copyOf(columns);
    }

    public static InputBinding of(LoadedModel model) {
        List<String> features = model.schema().features();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            columns.put(features.get(i), i);
        }
        int width = model.rowWidth() > 0 ? model.rowWidth() : (features.isEmpty() ? -1 : features.size());
        String input = model.schema().inputs().isEmpty() ? "input" : model.schema().inputs().getFirst().name();
        return new InputBinding(input, width, features, columns);
    }

    String describe() {
        return features.isEmpty() ? rowWidth + " numbers" : rowWidth + " numbers " + features;
    }
}
