package io.modelmesh.loadgen;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    @Test
    void percentilesComeFromTheHistogram() {
        Histogram h = new Histogram(1, 60_000_000, 3);
        for (long v = 1; v <= 1_000; v++) {
            h.recordValue(v * 100); // 100 µs .. 100 ms, evenly
        }
        Percentiles p = Percentiles.of(h);
        assertEquals(1_000, p.count());
        assertWithin(50_000, p.p50());
        assertWithin(90_000, p.p90());
        assertWithin(99_000, p.p99());
        assertWithin(99_900, p.p999());
        assertWithin(100_000, p.max());
    }

    @Test
    void aSingleStallDominatesTheTail() {
        Histogram h = new Histogram(1, 60_000_000, 3);
        h.recordValueWithCount(200, 9_980);
        h.recordValueWithCount(1_000_000, 20); // 0.2 % of requests 1 s late
        Percentiles p = Percentiles.of(h);
        assertEquals(200, p.p50());
        assertEquals(200, p.p99());
        assertWithin(1_000_000, p.p999());
    }

    @Test
    void anEmptyHistogramGivesZeros() {
        assertEquals(Percentiles.EMPTY, Percentiles.of(new Histogram(1, 60_000_000, 3)));
    }

    @Test
    void latenciesAreClampedIntoTheHistogramRange() {
        assertEquals(1, Tally.toRecordableMicros(-5_000));
        assertEquals(1, Tally.toRecordableMicros(999));
        assertEquals(1_234, Tally.toRecordableMicros(1_234_567));
        assertEquals(60_000_000, Tally.toRecordableMicros(3_600_000_000_000L));
    }

    @Test
    void rendersAMarkdownRowAndAMachineLine() {
        Result r = new Result("iris 5k", 5_000, 75_000, 74_990, 15.0,
                new Percentiles(74_990, 412, 905, 2_345, 12_500, 48_001), 3, 7, 3, 61, 512_000, 23.4);
        assertEquals(4_999.33, r.achievedRate(), 0.01);
        assertEquals(10, r.allErrors());
        assertEquals("| iris 5k | 5000 | 4999 | 0.41 | 0.91 | 2.35 | 12.50 | 48.00 | 3 | 10 |", r.markdownRow());
        assertEquals("LOADGEN_RESULT label=iris_5k target_rps=5000.0 achieved_rps=4999.3 scheduled=75000 "
                + "responses=74990 duration_s=15.000 p50_us=412 p90_us=905 p99_us=2345 p999_us=12500 max_us=48001 "
                + "non2xx=3 errors=10 unfinished=3 send_lag_p99_us=61 peak_rss_kb=512000 "
                + "loadgen_cpu_pct=23", r.machineLine());
        String header = Result.markdownHeader();
        assertEquals(header.lines().findFirst().orElseThrow().chars().filter(c -> c == '|').count(),
                r.markdownRow().chars().filter(c -> c == '|').count());
        assertTrue(header.lines().skip(1).findFirst().orElseThrow().startsWith("|---|"));
    }

    @Test
    void noResponsesMeansNoRate() {
        Result r = new Result("x", 10, 10, 0, 0, Percentiles.EMPTY, 0, 10, 0, 0, -1, -1);
        assertEquals(0, r.achievedRate());
        assertTrue(r.machineLine().contains(" errors=10 "), r.machineLine());
    }

    /** HdrHistogram with 3 significant digits reports values within 0.1 % of the recorded ones. */
    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected / 1000 + 1, "expected ~" + expected + ", got " + actual);
    }
}
