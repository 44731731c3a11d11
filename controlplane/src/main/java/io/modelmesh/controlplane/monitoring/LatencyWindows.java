package io.modelmesh.controlplane.monitoring;

import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.nodes.OutcomeSink;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per model and version, the nodes' outcome reports in {@value #BUCKET_SECONDS}-second buckets of the last 15 minutes
 * (a ring of {@value #BUCKETS}), each holding requests, errors and the merged {@link LatencyHistogram}. A report is
 * counted in the bucket of the time the control plane received it (node clocks may differ from ours; reports arrive
 * about every second). Windows end at the current bucket, so "the last minute" covers 50 to 60 seconds. Unlike the
 * canary windows these do not restart when a strategy changes: they say what users saw. Bounded: a version without a
 * request for 15 minutes, and a model without any, are dropped. In memory: after a restart the windows fill again.
 */
public final class LatencyWindows implements OutcomeSink {
    public static final int BUCKET_SECONDS = 10;
    /** 15 minutes of buckets. */
    public static final int BUCKETS = 90;
    /** The windows reported, in minutes. */
    public static final List<Integer> MINUTES = List.of(1, 5, 15);

    private final Clock clock;
    private final Map<String, Map<String, Ring>> models = new HashMap<>();

    public LatencyWindows(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void accept(OutcomeReport report) {
        long slot = slot(clock.instant());
        synchronized (this) {
            for (VersionOutcome v : report.versions()) {
                if (v.model() == null || v.version() == null || v.requests() <= 0) {
                    continue;
                }
                models.computeIfAbsent(v.model(), m -> new LinkedHashMap<>())
                        .computeIfAbsent(v.version(), k -> new Ring())
                        .add(slot, v.requests(), v.errors(), v.latency());
            }
            prune(slot);
        }
    }

    /** Models that served a request in the last 15 minutes, sorted. */
    public synchronized Set<String> models(Instant now) {
        prune(slot(now));
        return new TreeSet<>(models.keySet());
    }

    /** Per version with requests in the last 15 minutes (in order of first report): its 1, 5 and 15 minute windows. */
    public synchronized Map<String, List<LatencyWindow>> windows(String model, Instant now) {
        long slot = slot(now);
        prune(slot);
        Map<String, List<LatencyWindow>> out = new LinkedHashMap<>();
        models.getOrDefault(model, Map.of()).forEach((version, ring) -> {
            List<LatencyWindow> windows = new ArrayList<>(MINUTES.size());
            for (int minutes : MINUTES) {
                windows.add(ring.window(slot, minutes));
            }
            out.put(version, windows);
        });
        return out;
    }

    /** Empty windows, for a routed version without requests. */
    public static List<LatencyWindow> empty() {
        return MINUTES.stream().map(m -> new LatencyWindow(m, 0, 0, 0, null, null, null)).toList();
    }

    static long slot(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), BUCKET_SECONDS);
    }

    private void prune(long slot) {
        for (Iterator<Map<String, Ring>> m = models.values().iterator(); m.hasNext(); ) {
            Map<String, Ring> versions = m.next();
            versions.values().removeIf(r -> r.newest <= slot - BUCKETS);
            if (versions.isEmpty()) {
                m.remove();
            }
        }
    }

    /** One version's buckets; slot {@code s} lives at index {@code s mod BUCKETS} while it is among the last 90. */
    private static final class Ring {
        private final long[] slots = new long[BUCKETS];
        private final long[] requests = new long[BUCKETS];
        private final long[] errors = new long[BUCKETS];
        private final LatencyHistogram[] latency = new LatencyHistogram[BUCKETS];
        private long newest = Long.MIN_VALUE;

        void add(long slot, long req, long err, LatencyHistogram lat) {
            int i = (int) Math.floorMod(slot, (long) BUCKETS);
            if (latency[i] == null || slots[i] != slot) {
                slots[i] = slot;
                requests[i] = 0;
                errors[i] = 0;
                latency[i] = LatencyHistogram.empty();
            }
            requests[i] += req;
            errors[i] += err;
            latency[i] = latency[i].plus(lat);
            newest = Math.max(newest, slot);
        }

        LatencyWindow window(long now, int minutes) {
            int buckets = minutes * 60 / BUCKET_SECONDS;
            long req = 0;
            long err = 0;
            LatencyHistogram lat = LatencyHistogram.empty();
            for (long s = now - buckets + 1; s <= now; s++) {
                int i = (int) Math.floorMod(s, (long) BUCKETS);
                if (latency[i] != null && slots[i] == s) {
                    req += requests[i];
                    err += errors[i];
                    lat = lat.plus(latency[i]);
                }
            }
            boolean any = lat.count() > 0;
            return new LatencyWindow(minutes, req, err, req == 0 ? 0 : (double) err / req,
                    any ? lat.quantileMs(0.50) : null, any ? lat.quantileMs(0.95) : null,
                    any ? lat.quantileMs(0.99) : null);
        }
    }
}
