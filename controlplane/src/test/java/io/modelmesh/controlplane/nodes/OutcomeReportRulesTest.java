package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.FeatureRows;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.server.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sampled feature rows in outcome reports: bounded, equally wide, finite, for known versions, or refused whole. */
class OutcomeReportRulesTest {
    static final BiPredicate<String, String> KNOWN = (m, v) -> m.equals("iris") && v.equals("1.0.0");

    static OutcomeReport report(FeatureRows... rows) {
        return new OutcomeReport("n", 1, Instant.EPOCH, Instant.EPOCH, List.of(), List.of(), List.of(rows));
    }

    static List<float[]> rows(int n, int width) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new float[width]);
        }
        return out;
    }

    static String refused(OutcomeReport r) {
        String m = assertThrows(InvalidInputException.class, () -> OutcomeReportRules.validate(r, KNOWN)).getMessage();
        assertTrue(m.startsWith("outcome report refused, nothing of it was counted: "), m);
        return m;
    }

    @Test
    void boundedFiniteRowsOfAKnownVersionPass() {
        assertDoesNotThrow(() -> OutcomeReportRules.validate(report(new FeatureRows("iris", "1.0.0",
                rows(OutcomeReportRules.MAX_ROWS_PER_VERSION, 4), 5000, 3)), KNOWN));
    }

    @Test
    void everyBoundIsChecked() {
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", rows(OutcomeReportRules.MAX_ROWS_PER_VERSION + 1,
                1), 5000, 0))).contains("more than 1000 rows"));
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", rows(1, OutcomeReportRules.MAX_VALUES_PER_ROW + 1),
                1, 0))).contains("every row needs 1..256 values"));
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", rows(1, 0), 1, 0)))
                .contains("every row needs 1..256 values"));
        List<float[]> mixed = rows(2, 4);
        mixed.add(new float[3]);
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", mixed, 3, 0)))
                .contains("different widths (4 and 3)"));
        List<float[]> nan = rows(2, 4);
        nan.getLast()[2] = Float.NaN;
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", nan, 2, 0))).contains("finite numbers"));
        assertTrue(refused(report(new FeatureRows("iris", "9.9.9", rows(1, 4), 1, 0)))
                .contains("features[iris@9.9.9]: not on this node's routing table"));
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", rows(3, 4), 2, 0)))
                .contains("more rows than the 2 seen"));
        assertTrue(refused(report(new FeatureRows("iris", "1.0.0", rows(1, 4), 1, -1)))
                .contains("must not be negative"));
        FeatureRows wide = new FeatureRows("iris", "1.0.0", rows(500, 256), 500, 0);
        assertTrue(refused(report(wide)).contains("more than 100000 sampled feature values"), "500 x 256 = 128000");
        FeatureRows[] many = Collections.nCopies(OutcomeReportRules.MAX_FEATURE_ENTRIES + 1,
                new FeatureRows("iris", "1.0.0", List.of(), 0, 0)).toArray(FeatureRows[]::new);
        assertTrue(refused(report(many)).contains("more than 1024 feature-row entries"));
    }
}
