package io.modelmesh.engine.pmml;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.InvalidModelException;
import org.dmg.pmml.DataType;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;

import java.util.List;

/**
 * One input column of a PMML model: the jpmml field it feeds and how a float from the request becomes that field's
 * value. Requests carry floats, so only numeric fields are served (double, float, integer, boolean); a NaN is passed as
 * a missing value, so the model's own missing-value treatment applies.
 */
final class PmmlInput {
    private final InputField field;
    private final Kind kind;
    private final String expectation;

    private PmmlInput(InputField field, Kind kind) {
        this.field = field;
        this.kind = kind;
        this.expectation = describe(field, kind);
    }

    /** The column for a field, or InvalidModelException when its type is not one a float can feed. */
    static PmmlInput of(InputField field) throws InvalidModelException {
        DataType type = field.getDataType();
        Kind kind = switch (type) {
            case DOUBLE -> Kind.DOUBLE;
            case FLOAT -> Kind.FLOAT;
            case INTEGER -> Kind.INTEGER;
            case BOOLEAN -> Kind.BOOLEAN;
            case STRING -> throw new InvalidModelException("field '" + field.getName() + "' takes strings; ModelMesh "
                    + "feeds PMML models numeric features only (double, float, integer, boolean)");
            default -> throw new InvalidModelException("field '" + field.getName() + "' has data type " + type.value()
                    + "; ModelMesh feeds PMML models numeric features only (double, float, integer, boolean)");
        };
        return new PmmlInput(field, kind);
    }

    String name() {
        return field.getName();
    }

    /** Open Inference Protocol datatype of the column. */
    String datatype() {
        return kind.datatype;
    }

    /**
     * The field's value for one request value.
     *
     * @throws InvalidInputException naming the row, the field and what it accepts when the value does not fit
     */
    FieldValue prepare(float value, int row) {
        Object raw = Float.isNaN(value) ? null : switch (kind) {
            case DOUBLE -> (double) value;
            case FLOAT -> value;
            case INTEGER -> {
                if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                    throw invalid(value, row, "not an integer");
                }
                yield (int) value;
            }
            case BOOLEAN -> {
                if (value != 0f && value != 1f) {
                    throw invalid(value, row, "not 0 or 1");
                }
                yield value == 1f;
            }
        };
        try {
            return field.prepare(raw);
        } catch (EvaluationException e) {
            throw invalid(value, row, e.getMessage());
        }
    }

    private InvalidInputException invalid(float value, int row, String reason) {
        return new InvalidInputException("row " + row + ": field '" + name() + "' (" + expectation + ") cannot take "
                + value + ": " + reason);
    }

    /**
     * A value the field accepts, for warm-up rows: 0 when valid, otherwise the first declared valid value or a point
     * inside the first valid interval. Fields with no declared domain take 0.
     */
    float sample() {
        List<?> values = field.getDiscreteDomain();
        if (values != null) {
            Object first = values.getFirst();
            if (first instanceof Number n) {
                return n.floatValue();
            }
            if (first instanceof Boolean b) {
                return b ? 1f : 0f;
            }
        }
        RangeSet<Double> ranges = field.getContinuousDomain();
        if (ranges == null || ranges.contains(0.0)) {
            return 0f;
        }
        Range<Double> range = ranges.asRanges().iterator().next();
        double lo = range.hasLowerBound() ? range.lowerEndpoint() : range.upperEndpoint() - 1;
        double hi = range.hasUpperBound() ? range.upperEndpoint() : lo + 2;
        double mid = (lo + hi) / 2;
        for (double candidate : new double[]{lo, Math.ceil(lo), hi, Math.floor(hi), mid, Math.rint(mid)}) {
            float f = (float) candidate;
            if (range.contains((double) f) && (kind != Kind.INTEGER || f == Math.rint(f))) {
                return f;
            }
        }
        return 0f;
    }

    private static String describe(InputField field, Kind kind) {
        List<?> values = field.getDiscreteDomain();
        if (values != null) {
            return kind.pmmlName + ", one of " + values;
        }
        RangeSet<Double> ranges = field.getContinuousDomain();
        return ranges == null ? kind.pmmlName : kind.pmmlName + " in " + ranges;
    }

    private enum Kind {
        DOUBLE("double", "FP64"), FLOAT("float", "FP32"), INTEGER("integer", "INT64"), BOOLEAN("boolean", "BOOL");

        final String pmmlName;
        final String datatype;

        Kind(String pmmlName, String datatype) {
            this.pmmlName = pmmlName;
            this.datatype = datatype;
        }
    }
}
