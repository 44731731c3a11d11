package io.modelmesh.controlplane.drift;

import io.modelmesh.api.FeatureDrift;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

import java.util.ArrayList;
import java.util.List;

/**
 * The drift verdict for one version (pure): per feature, PSI ({@link Psi}) and the two-sample Kolmogorov–Smirnov test
 * (commons-statistics, p-value by its default method: exact for small samples, asymptotic for large ones) of the
 * current window against the reference. A feature drifts when {@code PSI > 0.2} or {@code p < 0.05 / features}
 * (Bonferroni: with every feature tested, the chance that any feature of an unchanged version is flagged by the KS
 * test at one evaluation stays at most 5 %).
 */
public final class DriftStatistics {
    /** PSI above this is a significant shift (the common rule of thumb: < 0.1 none, 0.1..0.2 moderate). */
    public static final double PSI_THRESHOLD = 0.2;
    /** Family-wise significance level of the KS tests of one version. */
    public static final double KS_ALPHA = 0.05;
    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();

    private DriftStatistics() {
    }

    /** The p-value below which one of {@code features} features drifts by the KS test. */
    public static double ksPThreshold(int features) {
        return KS_ALPHA / Math.max(1, features);
    }

    /**
     * @param features  names, one per column
     * @param reference reference values per column ({@code reference[f]} is column {@code f}); non-empty
     * @param current   current window values per column; non-empty
     */
    public static List<FeatureDrift> evaluate(List<String> features, double[][] reference, double[][] current) {
        if (reference.length != features.size() || current.length != features.size()) {
            throw new IllegalArgumentException(features.size() + " features but " + reference.length
                    + " reference and " + current.length + " current columns");
        }
        double ksThreshold = ksPThreshold(features.size());
        List<FeatureDrift> out = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) {
            double psi = Psi.of(reference[f], current[f]);
            KolmogorovSmirnovTest.TwoResult ks = KS.test(reference[f], current[f]);
            double p = ks.getPValue();
            out.add(new FeatureDrift(features.get(f), psi, ks.getStatistic(), p,
                    psi > PSI_THRESHOLD || p < ksThreshold));
        }
        return out;
    }

    /** Whether any feature drifted. */
    public static boolean drifted(List<FeatureDrift> features) {
        return features.stream().anyMatch(FeatureDrift::drifted);
    }
}
