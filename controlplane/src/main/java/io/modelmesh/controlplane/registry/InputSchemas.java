package io.modelmesh.controlplane.registry;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What two versions' inputs have in common (pure): their width (columns a row holds) and their feature names. Used to
 * carry feature names over to a new version and to refuse a canary, shadow or A/B arm that would take other requests
 * than the stable version.
 */
public final class InputSchemas {
    private InputSchemas() {
    }

    /**
     * The number of columns a row of {@code schema} holds: the last dimension of a single input tensor (the product of
     * its non-batch dimensions), the number of inputs of a model served column by column, else the number of feature
     * names; -1 when the schema does not say.
     */
    public static int width(ModelSchema schema) {
        if (schema == null) {
            return -1;
        }
        List<TensorSpec> inputs = schema.inputs();
        if (inputs.size() == 1 && inputs.getFirst().shape().size() >= 2) {
            long w = 1;
            List<Long> shape = inputs.getFirst().shape();
            for (int i = 1; i < shape.size(); i++) {
                long d = shape.get(i);
                if (d <= 0 || w * d > Integer.MAX_VALUE) {
                    w = -1;
                    break;
                }
                w *= d;
            }
            if (w > 0) {
                return (int) w;
            }
        }
        if (inputs.size() > 1) {
            return inputs.size();
        }
        return schema.features().isEmpty() ? -1 : schema.features().size();
    }

    /**
     * Whether {@code names} fit {@code schema}: as many names as its width (or its width is unknown), and it names
     * no features of its own.
     */
    public static boolean namesFit(ModelSchema schema, List<String> names) {
        int w = width(schema);
        return schema.features().isEmpty() && !names.isEmpty() && (w < 0 || w == names.size());
    }

    /**
     * Whether {@code names} may be carried over to {@code schema} without the user saying so: it names no features of
     * its own and its width is known and the number of names.
     */
    public static boolean inheritable(ModelSchema schema, List<String> names) {
        return schema.features().isEmpty() && !names.isEmpty() && width(schema) == names.size();
    }

    /**
     * How {@code candidate}'s input differs from {@code stable}'s; {@link Difference#none()} when requests the stable
     * version accepts fit the candidate (same width, same feature names in the same order).
     */
    public static Difference compare(ModelSchema stable, ModelSchema candidate) {
        int ws = width(stable);
        int wc = width(candidate);
        List<String> fs = stable == null ? List.of() : stable.features();
        List<String> fc = candidate == null ? List.of() : candidate.features();
        List<String> added = new ArrayList<>(fc);
        added.removeAll(fs);
        List<String> removed = new ArrayList<>(fs);
        removed.removeAll(fc);
        boolean reordered = added.isEmpty() && removed.isEmpty() && !fs.equals(fc);
        return new Difference(ws, wc, added, removed, reordered);
    }

    /**
     * The difference between two inputs.
     *
     * @param stableWidth    columns the stable version takes (-1 unknown)
     * @param candidateWidth columns the candidate takes (-1 unknown)
     * @param added          feature names only the candidate has
     * @param removed        feature names only the stable version has
     * @param reordered      the same names in another order
     */
    public record Difference(int stableWidth, int candidateWidth, List<String> added, List<String> removed,
                             boolean reordered) {
        public Difference {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }

        static Difference none() {
            return new Difference(-1, -1, List.of(), List.of(), false);
        }

        /** Whether requests of the stable version may fail on the candidate. */
        public boolean changed() {
            boolean widths = stableWidth > 0 && candidateWidth > 0 && stableWidth != candidateWidth;
            return widths || !added.isEmpty() || !removed.isEmpty() || reordered;
        }

        /** "width 4 -> 3; features removed: [petal_width]; features added: [x]". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (stableWidth != candidateWidth) {
                parts.add("width " + shown(stableWidth) + " -> " + shown(candidateWidth));
            }
            if (!removed.isEmpty()) {
                parts.add("features removed: " + removed);
            }
            if (!added.isEmpty()) {
                parts.add("features added: " + added);
            }
            if (reordered) {
                parts.add("the same features in another order");
            }
            return parts.isEmpty() ? "no difference" : String.join("; ", parts);
        }

        private static String shown(int w) {
            return w < 0 ? "unknown" : Integer.toString(w);
        }
    }
}
