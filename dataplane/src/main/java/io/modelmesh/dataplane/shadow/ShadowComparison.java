package io.modelmesh.dataplane.shadow;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.util.Arrays;

/**
 * How a shadow's answer compares with the answer the user got. Pure. Label outputs (text data, e.g. a PMML or sklearn
 * classifier's {@code label}) present in both under the same name are compared whole: the answer agrees when every
 * label of every row is equal. Numeric outputs present in both under the same name and shape are compared element by
 * element.
 *
 * @param labelsAgree   whether all compared labels were equal; null when the answers share no label output
 * @param numericValues numeric values compared
 * @param sumAbsDiff    sum of their absolute differences
 * @param maxAbsDiff    the largest absolute difference, NaN when no numeric value was compared
 */
public record ShadowComparison(Boolean labelsAgree, long numericValues, double sumAbsDiff, double maxAbsDiff) {

    public static ShadowComparison of(BatchResult primary, BatchResult shadow) {
        Boolean agree = null;
        long n = 0;
        double sum = 0;
        double max = Double.NaN;
        for (OutputTensor p : primary.outputs()) {
            OutputTensor s = find(shadow, p.name());
            if (s == null) {
                continue;
            }
            if (p.data() instanceof String[] pl && s.data() instanceof String[] sl) {
                boolean equal = Arrays.equals(pl, sl);
                agree = agree == null ? equal : agree && equal;
            } else if (numeric(p.data()) && numeric(s.data()) && Arrays.equals(p.shape(), s.shape())) {
                int len = java.lang.reflect.Array.getLength(p.data());
                for (int i = 0; i < len; i++) {
                    double d = Math.abs(value(p.data(), i) - value(s.data(), i));
                    sum += d;
                    max = Double.isNaN(max) ? d : Math.max(max, d);
                }
                n += len;
            }
        }
        return new ShadowComparison(agree, n, sum, max);
    }

    /** Whether the answers disagree: a label differs (numeric differences alone are measured, not judged). */
    public boolean disagrees() {
        return Boolean.FALSE.equals(labelsAgree);
    }

    private static OutputTensor find(BatchResult r, String name) {
        for (OutputTensor t : r.outputs()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static boolean numeric(Object data) {
        return data instanceof float[] || data instanceof double[] || data instanceof long[] || data instanceof int[];
    }

    private static double value(Object data, int i) {
        return switch (data) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case int[] n -> n[i];
            default -> throw new IllegalArgumentException("not numeric: " + data.getClass());
        };
    }
}
