package io.modelmesh.dataplane.reliability;

import io.modelmesh.api.ServingPolicy;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one served version answers, marked degraded, when it fails or sheds a request: nothing (the error stands), the
 * last answer for the same input, or its policy's default output — converted once, when the version is set up, into
 * one row of output tensors so a degraded answer is written by the same code as a computed one.
 *
 * @param mode       the policy's fallback
 * @param defaultRow for {@link ServingPolicy.Fallback#DEFAULT}: the default output as a one-row result, else null
 */
public record FallbackPlan(ServingPolicy.Fallback mode, BatchResult defaultRow) {
    /** No fallback. */
    public static final FallbackPlan NONE = new FallbackPlan(ServingPolicy.Fallback.NONE, null);

    /**
     * @param labels the model's label names of an output's last dimension, or null; an object of numbers by label is
     *               put in that order when its keys are exactly those labels (so it is answered keyed by label, like
     *               a computed row), else in the order written
     */
    public static FallbackPlan of(ServingPolicy policy, Function<String, String[]> labels) {
        return switch (policy.fallback()) {
            case NONE -> NONE;
            case CACHED -> new FallbackPlan(ServingPolicy.Fallback.CACHED, null);
            case DEFAULT -> new FallbackPlan(ServingPolicy.Fallback.DEFAULT, row(policy.defaultOutput(), labels));
        };
    }

    public boolean enabled() {
        return mode != ServingPolicy.Fallback.NONE;
    }

    /** The default output repeated for {@code rows} rows. */
    public BatchResult defaultFor(int rows) {
        if (rows == 1) {
            return defaultRow;
        }
        List<OutputTensor> out = new ArrayList<>();
        for (OutputTensor t : defaultRow.outputs()) {
            Object one = t.data();
            int width = Array.getLength(one);
            Object data = Array.newInstance(one.getClass().getComponentType(), width * rows);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(one, 0, data, r * width, width);
            }
            long[] shape = t.shape().clone();
            shape[0] = rows;
            out.add(new OutputTensor(t.name(), t.datatype(), shape, data));
        }
        return new BatchResult(out);
    }

    /** The default output (validated by the api's DefaultOutputs) as one row of tensors. */
    static BatchResult row(Map<String, Object> output, Function<String, String[]> labels) {
        List<OutputTensor> out = new ArrayList<>();
        output.forEach((name, value) -> out.add(tensor(name, value, labels.apply(name))));
        return new BatchResult(out);
    }

    private static OutputTensor tensor(String name, Object value, String[] labels) {
        return switch (value) {
            case String s -> new OutputTensor(name, "BYTES", new long[]{1}, new String[]{s});
            case Boolean b -> new OutputTensor(name, "BOOL", new long[]{1}, new boolean[]{b});
            case Number n -> new OutputTensor(name, "FP64", new long[]{1}, new double[]{n.doubleValue()});
            case Map<?, ?> byLabel -> labelled(name, byLabel, labels);
            case List<?> list -> {
                List<Long> dims = new ArrayList<>();
                dims.add(1L);
                List<Double> flat = new ArrayList<>();
                flatten(list, dims, 1, flat);
                long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
                yield new OutputTensor(name, "FP64", shape, flat.stream().mapToDouble(Double::doubleValue).toArray());
            }
            default -> throw new IllegalArgumentException("default output '" + name + "' has an unsupported value");
        };
    }

    private static OutputTensor labelled(String name, Map<?, ?> byLabel, String[] labels) {
        double[] values = new double[byLabel.size()];
        if (labels != null && labels.length == byLabel.size() && byLabel.keySet().containsAll(List.of(labels))) {
            for (int i = 0; i < labels.length; i++) {
                values[i] = ((Number) byLabel.get(labels[i])).doubleValue();
            }
        } else {
            int i = 0;
            for (Object v : byLabel.values()) {
                values[i++] = ((Number) v).doubleValue();
            }
        }
        return new OutputTensor(name, "FP64", new long[]{1, values.length}, values);
    }

    /** Appends the numbers of nested lists row-major, recording each level's length once. */
    private static void flatten(List<?> list, List<Long> dims, int depth, List<Double> out) {
        if (dims.size() == depth) {
            dims.add((long) list.size());
        }
        for (Object item : list) {
            if (item instanceof List<?> inner) {
                flatten(inner, dims, depth + 1, out);
            } else {
                out.add(((Number) item).doubleValue());
            }
        }
    }
}
