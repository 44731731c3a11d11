package io.modelmesh.loadgen;

import java.util.Locale;

/**
 * The outcome of one run over its measured requests, rendered as a markdown table row for people and as one
 * {@code LOADGEN_RESULT key=value ...} line for scripts.
 *
 * @param scheduled       measured requests the schedule held
 * @param responses       responses of any status
 * @param durationSeconds the measured window: the nominal one, or longer when the last response came later
 * @param errors          requests that got no response (I/O errors, timeouts)
 * @param unfinished      measured requests still without an answer when the run gave up waiting
 * @param sendLagP99Us    99th percentile of how late requests were sent (thread wake-up delay and waits for a free
 *                        connection; high values with low latency mean the load generator was starved of CPU)
 * @param peakRssKb       peak VmRSS of the sampled process, or -1 when none was sampled
 * @param cpuPercent      CPU the load generator itself used over the whole run, in % of one core (-1: unknown)
 */
record Result(String label, double targetRate, long scheduled, long responses, double durationSeconds,
              Percentiles latency, long non2xx, long errors, long unfinished, long sendLagP99Us, long peakRssKb,
              double cpuPercent) {

    static String markdownHeader() {
        return "| run | offered RPS | achieved RPS | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-2xx | errors |"
                + "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    double achievedRate() {
        return durationSeconds > 0 ? responses / durationSeconds : 0;
    }

    /** I/O errors plus requests left unanswered. */
    long allErrors() {
        return errors + unfinished;
    }

    String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s | %s | %s | %s | %s | %d | %d |", label, targetRate,
                achievedRate(), ms(latency.p50()), ms(latency.p90()), ms(latency.p99()), ms(latency.p999()),
                ms(latency.max()), non2xx, allErrors());
    }

    String machineLine() {
        return String.format(Locale.ROOT, "LOADGEN_RESULT label=%s target_rps=%.1f achieved_rps=%.1f scheduled=%d "
                        + "responses=%d duration_s=%.3f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d "
                        + "errors=%d unfinished=%d send_lag_p99_us=%d peak_rss_kb=%d loadgen_cpu_pct=%.0f",
                label.isBlank() ? "-" : label.replaceAll("\\s+", "_"), targetRate, achievedRate(), scheduled,
                responses, durationSeconds, latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max(),
                non2xx, allErrors(), unfinished, sendLagP99Us, peakRssKb, cpuPercent);
    }

    /** Microseconds as milliseconds with two decimals. */
    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
