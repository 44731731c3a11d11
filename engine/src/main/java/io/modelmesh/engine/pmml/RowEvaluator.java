package io.modelmesh.engine.pmml;

import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.MissingFieldValueException;
import org.jpmml.evaluator.TypeCheckException;
import org.jpmml.evaluator.UndefinedResultException;
import org.jpmml.evaluator.ValueCheckException;
import org.jpmml.model.PMMLException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates rows of floats with a jpmml evaluator, binding column i to input field i by name. The evaluator is
 * thread-safe once built; everything a call needs beyond it (the arguments map) is created per call.
 */
final class RowEvaluator {
    private final Evaluator evaluator;
    private final PmmlInput[] inputs;

    RowEvaluator(Evaluator evaluator, List<PmmlInput> inputs) {
        this.evaluator = evaluator;
        this.inputs = inputs.toArray(PmmlInput[]::new);
    }

    int width() {
        return inputs.length;
    }

    /** A fresh arguments map for one call; {@link #evaluate} overwrites every entry for each row. */
    Map<String, FieldValue> newArguments() {
        return HashMap.newHashMap(inputs.length);
    }

    /**
     * Evaluates the row starting at {@code values[offset]}.
     *
     * @throws InvalidInputException when a value does not fit its field or the model cannot score the row because of
     *                               its values
     * @throws InferenceException    when the model itself fails
     */
    Map<String, ?> evaluate(float[] values, int offset, int row, Map<String, FieldValue> arguments) {
        for (int c = 0; c < inputs.length; c++) {
            arguments.put(inputs[c].name(), inputs[c].prepare(values[offset + c], row));
        }
        try {
            return evaluator.evaluate(arguments);
        } catch (ValueCheckException | TypeCheckException | MissingFieldValueException | UndefinedResultException e) {
            throw new InvalidInputException("row " + row + ": the PMML model cannot score these values: "
                    + e.getMessage());
        } catch (EvaluationException e) {
            throw new InferenceException("the PMML model failed on row " + row + ": " + e.getMessage(), e);
        } catch (PMMLException e) {
            throw new InferenceException("the PMML model is not evaluable: " + e.getMessage(), e);
        }
    }

    /** A row every field accepts (see {@link PmmlInput#sample()}). */
    float[] sampleRow() {
        float[] row = new float[inputs.length];
        for (int c = 0; c < inputs.length; c++) {
            row[c] = inputs[c].sample();
        }
        return row;
    }
}
