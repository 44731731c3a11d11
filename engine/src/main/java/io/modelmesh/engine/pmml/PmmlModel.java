package io.modelmesh.engine.pmml;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;

import java.util.List;
import java.util.Map;

/**
 * A loaded PMML model: a classifier (outputs {@code label} and, when it yields them, {@code probabilities} in the
 * target's declared class order) or a regressor (one FP64 output named after the target field). jpmml evaluates one
 * record at a time, so a batch is a loop over rows.
 */
final class PmmlModel implements LoadedModel {
    static final String LABEL = "label";
    static final String PROBABILITIES = "probabilities";

    private final RowEvaluator rows;
    private final ModelSchema schema;
    private final String target;
    private final boolean classification;
    private final Object[] classes; // declared categories when probabilities are returned, else null

    private PmmlModel(RowEvaluator rows, ModelSchema schema, String target, boolean classification, List<?> classes) {
        this.rows = rows;
        this.schema = schema;
        this.target = target;
        this.classification = classification;
        this.classes = classes == null ? null : classes.toArray();
    }

    /** A classifier; {@code probabilityClasses} lists the classes in output order, or is null for labels only. */
    static PmmlModel classifier(RowEvaluator rows, ModelSchema schema, String target, List<?> probabilityClasses) {
        return new PmmlModel(rows, schema, target, true, probabilityClasses);
    }

    static PmmlModel regressor(RowEvaluator rows, ModelSchema schema, String target) {
        return new PmmlModel(rows, schema, target, false, null);
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public int rowWidth() {
        return rows.width();
    }

    @Override
    public BatchResult predict(FloatBatch batch) {
        if (batch.cols() != rows.width()) {
            throw new InvalidInputException("rows have " + batch.cols() + " values; the model takes " + rows.width()
                    + ": " + schema.features());
        }
        return classification ? classify(batch) : regress(batch);
    }

    private BatchResult classify(FloatBatch batch) {
        int n = batch.rows();
        String[] labels = new String[n];
        double[] probabilities = classes == null ? null : new double[n * classes.length];
        Map<String, FieldValue> arguments = rows.newArguments();
        for (int r = 0; r < n; r++) {
            Object value = rows.evaluate(batch.values(), r * batch.cols(), r, arguments).get(target);
            labels[r] = String.valueOf(decode(value, r));
            if (probabilities != null) {
                if (!(value instanceof HasProbability distribution)) {
                    throw new InferenceException("the PMML model returned no class probabilities for row " + r, null);
                }
                for (int c = 0; c < classes.length; c++) {
                    Double p = distribution.getProbability(classes[c]);
                    probabilities[r * classes.length + c] = p == null ? 0.0 : p;
                }
            }
        }
        OutputTensor label = new OutputTensor(LABEL, "BYTES", new long[]{n}, labels);
        return probabilities == null ? new BatchResult(List.of(label)) : new BatchResult(List.of(label,
                new OutputTensor(PROBABILITIES, "FP64", new long[]{n, classes.length}, probabilities)));
    }

    private BatchResult regress(FloatBatch batch) {
        int n = batch.rows();
        double[] out = new double[n];
        Map<String, FieldValue> arguments = rows.newArguments();
        for (int r = 0; r < n; r++) {
            Object value = decode(rows.evaluate(batch.values(), r * batch.cols(), r, arguments).get(target), r);
            if (!(value instanceof Number number)) {
                throw new InferenceException("the PMML model returned " + value + " for row " + r + ", not a number",
                        null);
            }
            out[r] = number.doubleValue();
        }
        return new BatchResult(List.of(new OutputTensor(target, "FP64", new long[]{n}, out)));
    }

    private static Object decode(Object value, int row) {
        Object decoded = EvaluatorUtil.decode(value);
        if (decoded == null) {
            throw new InvalidInputException("row " + row + ": the PMML model made no prediction (a missing value it "
                    + "does not handle?)");
        }
        return decoded;
    }

    /** Scores a row every field accepts; a model whose fields admit no such row starts cold instead. */
    @Override
    public void warmUp() {
        float[] row = rows.sampleRow();
        try {
            predict(new FloatBatch(row, 1, row.length));
        } catch (InvalidInputException e) {
            // the sample row is a best guess at a valid row; the first request will pay for the lazy initialisation
        }
    }

    @Override
    public void close() {
        // the evaluator holds only heap objects
    }
}
