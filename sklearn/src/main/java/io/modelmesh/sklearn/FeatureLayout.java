package io.modelmesh.sklearn;

import org.dmg.pmml.DataDictionary;
import org.dmg.pmml.DataField;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningSchema;
import org.dmg.pmml.Model;
import org.dmg.pmml.PMML;
import org.jpmml.sklearn.EncodableUtil;
import sklearn.HasMultiType;
import sklearn.Initializer;
import sklearn.Step;
import sklearn.StepUtil;
import sklearn2pmml.pipeline.PMMLPipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the PMML's input columns those of the fitted estimator. jpmml-sklearn's cleaners drop every field the model
 * never reads (a tree that never splits on a feature, a pipeline step that ignores one), which would make a served row
 * narrower than the rows the estimator was fitted on and break feature names given at registration; the dropped
 * columns are put back as active fields the model ignores, and the DataDictionary lists the columns in order.
 */
final class FeatureLayout {
    private final List<String> names;
    private final HasMultiType types; // jpmml's per-column types, as it declares the fields it keeps

    private FeatureLayout(List<String> names, HasMultiType types) {
        this.names = names;
        this.types = types;
    }

    /**
     * The layout of a pipeline's input: the given names, else those the pipeline or its first step declares, else
     * x1..xN; null when the first step builds its own fields from column names (a DataFrameMapper, ...), which jpmml
     * then keeps as they are.
     */
    static FeatureLayout of(PMMLPipeline pipeline, List<String> features) {
        Step head = pipeline.getHead();
        if (head == null || head instanceof Initializer) {
            return null;
        }
        List<String> names = !features.isEmpty() ? features
                : pipeline.getActiveFields() != null ? pipeline.getActiveFields()
                : EncodableUtil.getOrGenerateFeatureNames(head);
        return new FeatureLayout(List.copyOf(names), StepUtil.getType(head));
    }

    List<String> names() {
        return names;
    }

    /** Puts back the columns jpmml dropped and orders the DataDictionary: other fields (the target), then columns. */
    void restore(PMML pmml) {
        DataDictionary dictionary = pmml.requireDataDictionary();
        Map<String, DataField> existing = new LinkedHashMap<>();
        for (DataField f : dictionary.getDataFields()) {
            existing.put(f.requireName(), f);
        }
        List<DataField> ordered = new ArrayList<>();
        existing.forEach((name, field) -> {
            if (!names.contains(name)) {
                ordered.add(field);
            }
        });
        for (int i = 0; i < names.size(); i++) {
            DataField field = existing.get(names.get(i));
            ordered.add(field != null ? field : new DataField(names.get(i), types.getOpType(i), types.getDataType(i)));
        }
        dictionary.getDataFields().clear();
        dictionary.getDataFields().addAll(ordered);
        for (Model model : pmml.getModels()) {
            MiningSchema schema = model.requireMiningSchema();
            Set<String> present = new HashSet<>();
            schema.getMiningFields().forEach(f -> present.add(f.requireName()));
            for (String name : names) {
                if (!present.contains(name)) {
                    schema.addMiningFields(new MiningField(name));
                }
            }
        }
    }
}
