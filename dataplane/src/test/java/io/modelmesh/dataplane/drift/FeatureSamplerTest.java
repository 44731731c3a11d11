package io.modelmesh.dataplane.drift;

import io.modelmesh.api.FeatureRows;
import io.modelmesh.engine.FloatBatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded, dropping and counting when full, uniform over rows, never waiting on the request thread. */
class FeatureSamplerTest {
    private FeatureSampler sampler;

    @AfterEach
    void stop() {
        if (sampler != null) {
            sampler.close();
        }
    }

    static FloatBatch rows(int n, int cols, float first) {
        float[] v = new float[n * cols];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = first + r;
            }
        }
        return new FloatBatch(v, n, cols);
    }

    static FeatureRows only(List<FeatureRows> drained, String version) {
        return drained.stream().filter(f -> f.version().equals(version)).findFirst().orElseThrow();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() {
        sampler = new FeatureSampler(new SamplerConfig(10, 4 * 256)); // room for 256 rows of 4 values
        for (int i = 0; i < 300; i++) {
            sampler.offer("m", "1.0.0", rows(1, 4, i));
        }
        assertEquals(1024, sampler.queuedValues(), "bounded: the queue holds its capacity, no more");
        assertEquals(44, sampler.droppedTotal());
        List<FeatureRows> drained = sampler.drain();
        FeatureRows f = only(drained, "1.0.0");
        assertEquals(10, f.rows().size(), "rows per report");
        assertEquals(256, f.seen());
        assertEquals(44, f.dropped());
        assertEquals(0, sampler.queuedValues(), "drained");
        sampler.offer("m", "2.0.0", rows(1, 4, 0));
        assertEquals(4, sampler.queuedValues(), "room again after the drain");
        List<FeatureRows> next = sampler.drain();
        assertEquals(0, only(next, "2.0.0").dropped());
        assertTrue(next.stream().noneMatch(x -> x.version().equals("1.0.0")), "drops are counted once: " + next);
    }

    @Test
    void aBusyVersionPassesAboutFourTimesItsReportRowsToTheWorkerAndCountsEveryRowAsSeen() {
        sampler = new FeatureSampler(new SamplerConfig(50, 1 << 22));
        for (int i = 0; i < 10_000; i++) {
            sampler.offer("m", "1.0.0", rows(1, 4, i));
        }
        assertEquals(10_000 * 4, sampler.queuedValues(), "the first window passes everything");
        assertEquals(10_000, only(sampler.drain(), "1.0.0").seen());
        for (int i = 0; i < 10_000; i++) {
            sampler.offer("m", "1.0.0", rows(1, 4, i));
        }
        int busyPassed = sampler.queuedValues() / 4;
        // binomial(10,000, 200 / 10,000): mean 200, sd 14
        assertTrue(busyPassed > 130 && busyPassed < 270, "about 4 x 50 of 10,000 rows pass: " + busyPassed);
        for (int i = 0; i < 150; i++) {
            sampler.offer("m", "quiet", rows(1, 4, i));
        }
        assertEquals(busyPassed + 150, sampler.queuedValues() / 4, "a new, quiet version passes everything");
        List<FeatureRows> drained = sampler.drain();
        FeatureRows busy = only(drained, "1.0.0");
        assertEquals(10_000, busy.seen(), "every offered row is seen, passed or not");
        assertEquals(150, only(drained, "quiet").seen());
        assertEquals(50, busy.rows().size());
    }

    @Test
    void aBigBatchQueuesASliceThatStandsForAllItsRowsAndHoldsNoReferenceToIt() {
        sampler = new FeatureSampler(new SamplerConfig(1000, SamplerConfig.DEFAULT_QUEUE));
        FloatBatch big = rows(5000, 2, 0);
        sampler.offer("m", "1.0.0", big);
        assertEquals(FeatureSampler.MAX_ROWS_PER_OFFER * 2, sampler.queuedValues());
        FeatureRows f = only(sampler.drain(), "1.0.0");
        assertEquals(5000, f.seen());
        assertEquals(FeatureSampler.MAX_ROWS_PER_OFFER, f.rows().size());
        float first = f.rows().stream().map(r -> r[0]).min(Float::compare).orElseThrow();
        for (float[] r : f.rows()) {
            assertTrue(r[0] >= first && r[0] < first + FeatureSampler.MAX_ROWS_PER_OFFER, "one contiguous slice");
        }
    }

    @Test
    void theSampleIsUniformOverRowsWhateverTheBatchSizes() {
        sampler = new FeatureSampler(new SamplerConfig(1000, 1 << 20));
        // 2,000 single-row requests with value 0 and 250 batches of 32 rows (8,000 rows) with value 1: 80 % are 1s
        for (int i = 0; i < 2000; i++) {
            sampler.offer("m", "1.0.0", new FloatBatch(new float[]{0}, 1, 1));
            if (i % 8 == 0) {
                float[] ones = new float[32];
                java.util.Arrays.fill(ones, 1);
                sampler.offer("m", "1.0.0", new FloatBatch(ones, 32, 1));
            }
        }
        FeatureRows f = only(sampler.drain(), "1.0.0");
        assertEquals(10_000, f.seen());
        assertEquals(1000, f.rows().size());
        long ones = f.rows().stream().filter(r -> r[0] == 1).count();
        assertTrue(ones > 750 && ones < 850, "about 800 of 1000: " + ones);
    }

    @Test
    void wideInputsAndSamplingOffAreIgnoredAndReportsStayBounded() {
        sampler = new FeatureSampler(new SamplerConfig(1000, 1 << 20));
        sampler.offer("m", "wide", rows(1, FeatureSampler.MAX_VALUES_PER_ROW + 1, 0));
        assertEquals(0, sampler.queuedValues());
        for (int v = 0; v < 4; v++) {
            for (int i = 0; i < 100; i++) {
                sampler.offer("m", "1." + v + ".0", rows(32, 200, i));
            }
        }
        List<FeatureRows> drained = sampler.drain();
        int values = drained.stream().mapToInt(f -> f.rows().size() * 200).sum();
        assertTrue(values <= FeatureSampler.MAX_VALUES_PER_REPORT, "values in one report: " + values);
        assertEquals(4, drained.size());

        FeatureSampler off = FeatureSampler.off();
        off.offer("m", "1.0.0", rows(1, 4, 0));
        assertEquals(0, off.queuedValues());
        assertEquals(List.of(), off.drain());
    }

    @Test
    void aSmallRequestIsSampledWholeRowByRow() {
        sampler = new FeatureSampler(new SamplerConfig(10, 1 << 20));
        sampler.offer("m", "1.0.0", rows(3, 4, 7));
        FeatureRows f = only(sampler.drain(), "1.0.0");
        assertEquals(3, f.seen());
        assertEquals(List.of(7f, 8f, 9f), f.rows().stream().map(r -> r[3]).sorted().toList());
    }

    @Test
    void theWorkerMovesRowsOffTheQueueOnItsOwn() {
        sampler = new FeatureSampler(new SamplerConfig(10, 1 << 20)).start();
        sampler.offer("m", "1.0.0", rows(5, 4, 0));
        Awaitility.await("the worker to take the rows").atMost(Duration.ofSeconds(10))
                .until(() -> sampler.queuedValues() == 0);
        assertEquals(5, only(sampler.drain(), "1.0.0").seen());
    }

    @Test
    void configFromTheEnvironmentSaysWhatIsWrong() {
        assertEquals(SamplerConfig.defaults(), SamplerConfig.fromEnv(Map.of()));
        assertEquals(new SamplerConfig(0, 4096), SamplerConfig.fromEnv(Map.of("MM_DRIFT_ROWS", "0",
                "MM_DRIFT_QUEUE", "4096")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.fromEnv(Map.of("MM_DRIFT_ROWS",
                "5000"))).getMessage().contains("MM_DRIFT_ROWS must be 0..1000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplerConfig.fromEnv(Map.of("MM_DRIFT_QUEUE",
                "lots"))).getMessage().contains("MM_DRIFT_QUEUE must be a whole number"));
    }
}
