package io.modelmesh.engine.pmml;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.InferenceEngine;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.Messages;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import org.dmg.pmml.DataField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.ResultFeature;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TargetField;
import org.jpmml.model.JAXBUtil;
import org.jpmml.model.PMMLException;
import org.jpmml.model.SAXUtil;
import org.jpmml.model.UnsupportedMarkupException;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PMML adapter over jpmml-evaluator. Serves single-target classification and regression models whose input fields are
 * numeric (double, float, integer, boolean). Columns are the model's active fields in DataDictionary (document) order,
 * or in the order of the feature names given at registration, which must name the same fields; values are bound to
 * fields by name, never by jpmml's field list order (which need not follow the document).
 */
public final class PmmlEngine implements InferenceEngine {

    @Override
    public Framework framework() {
        return Framework.PMML;
    }

    @Override
    public LoadedModel load(Path artifact, List<String> features) throws InvalidModelException {
        ModelEvaluator<?> evaluator = parse(artifact);
        try {
            return describe(evaluator, features);
        } catch (PMMLException e) {
            // jpmml resolves fields lazily, so some invalid markup only surfaces when the schema is read
            throw new InvalidModelException("not a valid PMML model: " + Messages.firstLine(e), e);
        }
    }

    private static PmmlModel describe(ModelEvaluator<?> evaluator, List<String> features)
            throws InvalidModelException {
        MiningFunction function = evaluator.getMiningFunction();
        if (function != MiningFunction.CLASSIFICATION && function != MiningFunction.REGRESSION) {
            throw new InvalidModelException("the PMML model's mining function is " + function.value()
                    + "; ModelMesh serves PMML classification and regression models with one target field");
        }
        TargetField target = target(evaluator);
        List<PmmlInput> inputs = columns(evaluator, features);
        RowEvaluator rows = new RowEvaluator(evaluator, inputs);
        List<TensorSpec> inputSpecs = inputs.stream()
                .map(i -> new TensorSpec(i.name(), i.datatype(), List.of(-1L)))
                .toList();
        List<String> names = inputs.stream().map(PmmlInput::name).toList();
        if (function == MiningFunction.REGRESSION) {
            ModelSchema schema = new ModelSchema(inputSpecs,
                    List.of(new TensorSpec(target.getName(), "FP64", List.of(-1L))), names);
            return PmmlModel.regressor(rows, schema, target.getName());
        }
        List<Object> classes = target.getCategories();
        boolean probabilities = classes != null && yieldsProbabilities(rows, target.getName());
        List<TensorSpec> outputs = new ArrayList<>();
        outputs.add(new TensorSpec(PmmlModel.LABEL, "BYTES", List.of(-1L)));
        if (probabilities) {
            outputs.add(new TensorSpec(PmmlModel.PROBABILITIES, "FP64", List.of(-1L, (long) classes.size()),
                    classes.stream().map(String::valueOf).toList()));
        }
        return PmmlModel.classifier(rows, new ModelSchema(inputSpecs, outputs, names), target.getName(),
                probabilities ? classes : null);
    }

    private static ModelEvaluator<?> parse(Path artifact) throws InvalidModelException {
        JAXBContext context = jaxbContext();
        try (InputStream in = Files.newInputStream(artifact)) {
            // without PROBABILITY among its result features jpmml returns bare votes for models that declare no
            // probability output fields, even when it could compute a distribution
            ModelEvaluator<?> evaluator = new LoadingModelEvaluatorBuilder()
                    .setJAXBContext(context)
                    .setValidationEventHandler(event -> false) // stop at the first error, without logging it
                    .setExtraResultFeatures(EnumSet.of(ResultFeature.PROBABILITY))
                    .load(in)
                    .build();
            evaluator.verify();
            return evaluator;
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("not a valid PMML document: no file " + artifact, e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the PMML file: " + e.getMessage(), e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new InvalidModelException("not a valid PMML document: " + Messages.firstLine(e), e);
        } catch (JAXBException e) {
            Throwable cause = SAXUtil.getCause(e);
            String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : e.toString();
            String line = cause instanceof SAXParseException p && p.getLineNumber() > 0
                    ? " (line " + p.getLineNumber() + ")" : "";
            throw new InvalidModelException("not a valid PMML document: " + Messages.firstLine(reason) + line, e);
        } catch (UnsupportedMarkupException e) {
            throw new InvalidModelException("the PMML model uses markup jpmml-evaluator does not support: "
                    + Messages.firstLine(e), e);
        } catch (EvaluationException e) {
            throw new InvalidModelException("the PMML model fails its own ModelVerification: "
                    + Messages.firstLine(e), e);
        } catch (PMMLException e) {
            throw new InvalidModelException("not a valid PMML model: " + Messages.firstLine(e), e);
        }
    }

    /** jpmml's shared JAXB context; its absence is a packaging fault, not a bad model. */
    private static JAXBContext jaxbContext() {
        try {
            return JAXBUtil.getContext();
        } catch (JAXBException e) {
            throw new IllegalStateException("no JAXB runtime for PMML (add org.jpmml:pmml-model-metro): " + e, e);
        }
    }

    private static TargetField target(ModelEvaluator<?> evaluator) throws InvalidModelException {
        List<TargetField> targets = evaluator.getTargetFields();
        if (targets.size() != 1) {
            throw new InvalidModelException("the PMML model has " + targets.size() + " target fields "
                    + targets.stream().map(TargetField::getName).toList()
                    + "; ModelMesh serves PMML classification and regression models with one target field");
        }
        TargetField target = targets.getFirst();
        if (target.isSynthetic()) {
            throw new InvalidModelException("the PMML model declares no target field (a MiningField with "
                    + "usageType=\"target\"); ModelMesh serves PMML classification and regression models with one "
                    + "target field");
        }
        return target;
    }

    /** The active fields in column order: the given feature names, else DataDictionary order. */
    private static List<PmmlInput> columns(ModelEvaluator<?> evaluator, List<String> features)
            throws InvalidModelException {
        Map<String, Integer> position = new HashMap<>();
        List<DataField> dictionary = evaluator.getPMML().requireDataDictionary().getDataFields();
        for (int i = 0; i < dictionary.size(); i++) {
            position.put(dictionary.get(i).requireName(), i);
        }
        Map<String, InputField> byName = new HashMap<>();
        for (InputField f : evaluator.getActiveFields()) {
            byName.put(f.getName(), f);
        }
        if (byName.isEmpty()) {
            throw new InvalidModelException("the PMML model has no input fields");
        }
        List<String> documentOrder = byName.keySet().stream()
                .sorted(Comparator.comparing(n -> position.getOrDefault(n, Integer.MAX_VALUE)))
                .toList();
        List<String> order = features.isEmpty() ? documentOrder : checkFeatures(features, documentOrder);
        List<PmmlInput> inputs = new ArrayList<>(order.size());
        for (String name : order) {
            inputs.add(PmmlInput.of(byName.get(name)));
        }
        return inputs;
    }

    /** The given names when they are the model's fields in some order. */
    private static List<String> checkFeatures(List<String> features, List<String> fields) throws InvalidModelException {
        Set<String> given = new LinkedHashSet<>(features);
        if (given.size() != features.size()) {
            throw new InvalidModelException("the feature names " + features + " repeat a name");
        }
        Set<String> missing = new LinkedHashSet<>(fields);
        missing.removeAll(given);
        Set<String> unknown = new LinkedHashSet<>(given);
        unknown.removeAll(fields);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!unknown.isEmpty()) {
                problems.add("not in the model " + unknown);
            }
            if (!missing.isEmpty()) {
                problems.add("missing " + missing);
            }
            throw new InvalidModelException("the feature names do not match the PMML model's input fields " + fields
                    + ": " + String.join("; ", problems));
        }
        return List.copyOf(features);
    }

    /**
     * Whether the classifier returns a probability distribution, found by scoring a row its fields accept (jpmml
     * decides by model type and content, e.g. a tree without score distributions yields labels only). When no such row
     * can be found the model is served with labels only.
     */
    private static boolean yieldsProbabilities(RowEvaluator rows, String target) throws InvalidModelException {
        float[] row = rows.sampleRow();
        try {
            return rows.evaluate(row, 0, 0, rows.newArguments()).get(target) instanceof HasProbability;
        } catch (InvalidInputException e) {
            return false;
        } catch (InferenceException e) {
            throw new InvalidModelException("the PMML model fails on a valid row: " + e.getMessage(), e);
        }
    }
}
