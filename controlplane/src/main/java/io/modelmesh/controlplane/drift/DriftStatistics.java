package io.modelmesh.controlplane.drift;

import io.modelmesh.api.FeatureDrift;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

import java.util.ArrayList;
import java.util.List;

/**
 * The drift verdict for one version (pure): per feature, PSI ({@link Psi}) and the two-sample Kolmogorov–Smirnov test
 * (commons-statistics, p-value by its default method: exact for small samples, asymptotic for large ones) of the
 * current window against the reference. A feature drifts when {@code PSI > 0.2} or
 * {@code p < 0.05 / features / 200}: Bonferroni over the features and over the evaluations of a monitoring horizon of
 * 20 windows (a window is looked at ten times as it slides). Monitoring tests the same version again and again; at
 * {@code 0.05 / features} per evaluation 73.5 % of 20-window runs of unchanged data raised a false alarm (measured,
 * docs/benchmark_results.md section 9), while with the horizon split 98.5 % stay silent and every shift of one
 * standard deviation is still flagged within 450 rows. PSI is an effect size and needs no such correction.
 */
public final class DriftStatistics {
    /** PSI above this is a significant shift (the common rule of thumb: < 0.1 none, 0.1..0.2 moderate). */
    public static final double PSI_THRESHOLD = 0.2;
    /** Family-wise significance level of the KS tests of one version over a monitoring horizon. */
    public static final double KS_ALPHA = 0.05;
    /** Evaluations in the horizon the KS level is split over: 20 windows, each looked at ten times. */
    public static final int LOOKS_PER_HORIZON = 20 * 10;
    private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();

    private DriftStatistics() {
    }

    /** The p-value below which one of {@code features} features drifts by the KS test. */
    public static double ksPThreshold(int features) {
        return KS_ALPHA / Math.max(1, features) / LOOKS_PER_HORIZON;
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
