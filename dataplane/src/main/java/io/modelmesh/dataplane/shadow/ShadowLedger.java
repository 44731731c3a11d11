package io.modelmesh.dataplane.shadow;

import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.ShadowSample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Shadow comparisons per (model, shadow version, answering version) for the current report window. Request threads
 * only add to lock-free counters (mirrored, dropped); the shadow worker adds comparisons under a per-key lock; the
 * reporter {@link #drain()}s the window. Keeps up to {@link #MAX_SAMPLES} samples per window, disagreements first.
 */
public final class ShadowLedger {
    /** Samples kept per key and window. */
    public static final int MAX_SAMPLES = 5;

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** Identity of one comparison series. */
    public record Key(String model, String shadowVersion, String primaryVersion) {
    }

    private static final class Entry {
        final LongAdder mirrored = new LongAdder();
        final LongAdder dropped = new LongAdder();
        long drainedMirrored;
        long drainedDropped;
        long failed;
        long compared;
        long labelComparisons;
        long labelAgreements;
        long numericValues;
        double sumAbsDiff;
        double maxAbsDiff;
        double sumLatencyDeltaMs;
        List<ShadowSample> samples = new ArrayList<>();
    }

    private Entry entry(Key key) {
        Entry e = entries.get(key);
        return e != null ? e : entries.computeIfAbsent(key, k -> new Entry());
    }

    public void mirrored(Key key) {
        entry(key).mirrored.increment();
    }

    public void dropped(Key key) {
        entry(key).dropped.increment();
    }

    /** A shadow call that failed; {@code sample} is rendered only if kept. */
    public void failed(Key key, Supplier<ShadowSample> sample) {
        Entry e = entry(key);
        synchronized (e) {
            e.failed++;
            keep(e.samples, true, sample);
        }
    }

    /** A shadow answer compared with the user's; {@code sample} is rendered only if kept. */
    public void compared(Key key, ShadowComparison c, double latencyDeltaMs, Supplier<ShadowSample> sample) {
        Entry e = entry(key);
        synchronized (e) {
            e.compared++;
            if (c.labelsAgree() != null) {
                e.labelComparisons++;
                e.labelAgreements += c.labelsAgree() ? 1 : 0;
            }
            if (c.numericValues() > 0) {
                e.numericValues += c.numericValues();
                e.sumAbsDiff += c.sumAbsDiff();
                e.maxAbsDiff = Math.max(e.maxAbsDiff, c.maxAbsDiff());
            }
            e.sumLatencyDeltaMs += latencyDeltaMs;
            keep(e.samples, c.disagrees(), sample);
        }
    }

    /** Everything since the last drain, one outcome per key that saw anything. */
    public synchronized List<ShadowOutcome> drain() {
        List<ShadowOutcome> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            long mirrored = e.mirrored.sum();
            long dropped = e.dropped.sum();
            synchronized (e) {
                ShadowOutcome o = new ShadowOutcome(k.model(), k.shadowVersion(), k.primaryVersion(),
                        mirrored - e.drainedMirrored, dropped - e.drainedDropped, e.failed, e.compared,
                        e.labelComparisons, e.labelAgreements, e.numericValues, e.sumAbsDiff, e.maxAbsDiff,
                        e.sumLatencyDeltaMs, e.samples);
                e.drainedMirrored = mirrored;
                e.drainedDropped = dropped;
                e.failed = e.compared = e.labelComparisons = e.labelAgreements = e.numericValues = 0;
                e.sumAbsDiff = e.maxAbsDiff = e.sumLatencyDeltaMs = 0;
                e.samples = new ArrayList<>();
                if (o.mirrored() + o.dropped() + o.failed() + o.compared() > 0) {
                    out.add(o);
                }
            }
        });
        return out;
    }

    /** The two windows as one (a report that failed to send, merged into the next). */
    public static ShadowOutcome merge(ShadowOutcome a, ShadowOutcome b) {
        List<ShadowSample> samples = new ArrayList<>();
        for (ShadowSample s : a.samples()) {
            keep(samples, disagrees(s), () -> s);
        }
        for (ShadowSample s : b.samples()) {
            keep(samples, disagrees(s), () -> s);
        }
        return new ShadowOutcome(a.model(), a.shadowVersion(), a.primaryVersion(), a.mirrored() + b.mirrored(),
                a.dropped() + b.dropped(), a.failed() + b.failed(), a.compared() + b.compared(),
                a.labelComparisons() + b.labelComparisons(), a.labelAgreements() + b.labelAgreements(),
                a.numericValues() + b.numericValues(), a.sumAbsDiff() + b.sumAbsDiff(),
                Math.max(a.maxAbsDiff(), b.maxAbsDiff()), a.sumLatencyDeltaMs() + b.sumLatencyDeltaMs(), samples);
    }

    /** A sample is a disagreement when the shadow failed or a label differed. */
    static boolean disagrees(ShadowSample s) {
        return s.shadowError() != null || Boolean.FALSE.equals(s.labelsAgree());
    }

    /** Keeps a sample while there is room; a disagreement replaces an agreement when full. */
    private static void keep(List<ShadowSample> samples, boolean disagreement, Supplier<ShadowSample> sample) {
        if (samples.size() < MAX_SAMPLES) {
            ShadowSample s = sample.get();
            if (disagreement) {
                int i = 0;
                while (i < samples.size() && disagrees(samples.get(i))) {
                    i++;
                }
                samples.add(i, s);
            } else {
                samples.add(s);
            }
            return;
        }
        if (disagreement && !disagrees(samples.getLast())) {
            samples.removeLast();
            keep(samples, true, sample);
        }
    }
}
