package io.modelmesh.api;

import java.util.Arrays;
import java.util.List;

/**
 * Feature rows one node sampled from what one version served during one report window, for drift detection. Columns
 * are in the version's feature order (its input columns when it names none). Rows are a uniform sample of the rows
 * the node's sampler saw; a node sends at most a few hundred per version and window.
 *
 * @param model   model name
 * @param version the version that answered
 * @param rows    sampled rows, each as wide as the version's input row
 * @param seen    rows the sampler saw in the window (the sample was drawn from them)
 * @param dropped rows not sampled because the node's sampling queue was full
 */
public record FeatureRows(String model, String version, List<float[]> rows, long seen, long dropped) {
    public FeatureRows {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureRows f) || seen != f.seen || dropped != f.dropped || rows.size() != f.rows.size()
                || !java.util.Objects.equals(model, f.model) || !java.util.Objects.equals(version, f.version)) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!Arrays.equals(rows.get(i), f.rows.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hash(model, version, seen, dropped);
        for (float[] r : rows) {
            h = 31 * h + Arrays.hashCode(r);
        }
        return h;
    }

    @Override
    public String toString() {
        return "FeatureRows[" + model + "@" + version + ", rows=" + rows.size() + ", seen=" + seen + ", dropped="
                + dropped + "]";
    }
}
