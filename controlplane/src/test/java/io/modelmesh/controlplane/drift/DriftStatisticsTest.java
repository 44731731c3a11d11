package io.modelmesh.controlplane.drift;

import io.modelmesh.api.FeatureDrift;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PSI and the two-sample KS test against values computed independently with numpy 1.24 and scipy 1.10 (Debian
 * python3-scipy) on the same data, which both sides generate with exact arithmetic:
 *
 * <pre>{@code
 * def u(i, a, m): return ((i*a) % m) / m
 * def normalish(n, a, shift, scale):   # Irwin-Hall: four uniforms, centred
 *     return np.array([(u(i,a,1009)+u(i,a+2,1013)+u(i,a+4,1019)+u(i,a+6,1021) - 2.0)*scale + shift
 *                      for i in range(1, n+1)])
 * def psi(ref, cur):
 *     qs = np.quantile(ref, np.linspace(0, 1, 11)[1:-1])
 *     r = np.bincount(np.searchsorted(qs, ref, side='right'), minlength=10) / len(ref)
 *     c = np.bincount(np.searchsorted(qs, cur, side='right'), minlength=10) / len(cur)
 *     r = np.maximum(r, 1e-4); c = np.maximum(c, 1e-4)
 *     return np.sum((c - r) * np.log(c / r))
 * scipy.stats.ks_2samp(ref, cur)                   # exact p-value for these sizes
 * scipy.stats.ks_2samp(ref, cur, method='asymp')   # asymptotic
 * }</pre>
 */
class DriftStatisticsTest {
    static double u(int i, long a, long m) {
        return (double) ((i * a) % m) / m;
    }

    static double[] normalish(int n, long a, double shift, double scale) {
        double[] out = new double[n];
        for (int i = 1; i <= n; i++) {
            out[i - 1] = (u(i, a, 1009) + u(i, a + 2, 1013) + u(i, a + 4, 1019) + u(i, a + 6, 1021) - 2.0) * scale
                    + shift;
        }
        return out;
    }

    static FeatureDrift one(double[] reference, double[] current) {
        return DriftStatistics.evaluate(List.of("x"), new double[][]{reference}, new double[][]{current}).getFirst();
    }

    @Test
    void smallSamplesMatchScipyExactly() {
        FeatureDrift d = one(normalish(40, 7919, 0, 1), normalish(50, 104729, 0.3, 1));
        assertEquals(0.39183142251704445, d.psi(), 1e-12);
        assertEquals(0.22, d.ksStatistic(), 1e-12);
        assertEquals(0.20214636404912553, d.ksPValue(), 1e-9, "exact p-value, as scipy's");
        assertTrue(d.drifted(), "PSI 0.39 > 0.2 although KS p 0.2 is not significant");
    }

    @Test
    void largeUnshiftedSamplesDoNotDrift() {
        FeatureDrift d = one(normalish(1000, 7919, 0, 1), normalish(1000, 104729, 0, 1));
        assertEquals(0.007714780797448098, d.psi(), 1e-12);
        assertEquals(0.013, d.ksStatistic(), 1e-12);
        // commons-statistics switches to the asymptotic p-value for 1000 x 1000;
        // scipy: exact 0.9999962, asymp 0.9999924
        assertEquals(0.99999, d.ksPValue(), 1e-5);
        assertFalse(d.drifted());
    }

    @Test
    void largeShiftedSamplesDriftOnBothStatistics() {
        FeatureDrift d = one(normalish(1000, 7919, 0, 1), normalish(1000, 104729, 0.3, 1));
        assertEquals(0.254401497616058, d.psi(), 1e-12);
        assertEquals(0.205, d.ksStatistic(), 1e-12);
        // scipy: exact 8.49e-19, asymptotic 6.66e-19
        assertTrue(d.ksPValue() > 5e-19 && d.ksPValue() < 1e-18, "p = " + d.ksPValue());
        assertTrue(d.drifted());
    }

    @Test
    void unequalSizesAndAWiderSpread() {
        FeatureDrift d = one(normalish(2000, 7919, 0, 1), normalish(700, 15485863, 0, 1.6));
        assertEquals(0.2445209771640799, d.psi(), 1e-12);
        assertEquals(0.122, d.ksStatistic(), 1e-12);
        // scipy: exact 3.494e-07, asymptotic 3.439e-07
        assertEquals(3.47e-07, d.ksPValue(), 0.05e-07);
    }

    @Test
    void psiByHandWithAnEmptyBinFloored() {
        double[] reference = new double[100];
        for (int i = 0; i < 100; i++) {
            reference[i] = i; // deciles 9.9, 19.8, ..., 89.1: ten bins of 10 values
        }
        double[] current = new double[50];
        java.util.Arrays.fill(current, 95); // all in the last bin
        // last bin: (1 - 0.1) ln(1 / 0.1); nine empty bins: (1e-4 - 0.1) ln(1e-4 / 0.1) each
        double expected = 0.9 * Math.log(10) + 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
        assertEquals(expected, Psi.of(reference, current), 1e-12);
        assertEquals(8.2831, expected, 1e-4);
        assertEquals(0.0, Psi.of(reference, reference), 1e-15);
    }

    @Test
    void valuesOnAnEdgeGoToTheUpperBinAsNumpysSearchsortedRight() {
        double[] edges = Psi.edges(new double[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertEquals(1.0, edges[0], 1e-12);
        long[] counts = Psi.counts(new double[]{1.0, 0.999}, edges);
        assertEquals(1, counts[0]);
        assertEquals(1, counts[1]);
    }

    @Test
    void bonferroniSplitsTheKsLevelOverTheFeaturesAndTheLooksOfTheHorizon() {
        assertEquals(0.05 / 200, DriftStatistics.ksPThreshold(1), 1e-15);
        assertEquals(0.05 / 4 / 200, DriftStatistics.ksPThreshold(4), 1e-15);
        // p 0.02 drifts alone, not among 4 features
        double[] ref = normalish(40, 7919, 0, 1);
        double[] cur = normalish(50, 104729, 0.3, 1);
        List<FeatureDrift> four = DriftStatistics.evaluate(List.of("a", "b", "c", "d"),
                new double[][]{ref, ref, ref, ref}, new double[][]{ref, ref, ref, ref});
        assertFalse(DriftStatistics.drifted(four));
        assertEquals(4, four.size());
        assertEquals(1.0, four.getFirst().ksPValue(), 1e-12);
        assertEquals(0.0, four.getFirst().ksStatistic(), 1e-12);
        assertTrue(one(ref, cur).ksPValue() > DriftStatistics.ksPThreshold(4));
    }

    @Test
    void columnsMustMatchTheFeatures() {
        assertThrows(IllegalArgumentException.class, () -> DriftStatistics.evaluate(List.of("a", "b"),
                new double[][]{{1}}, new double[][]{{1}}));
        assertThrows(IllegalArgumentException.class, () -> Psi.of(new double[0], new double[]{1}));
    }
}
