import io.modelmesh.dataplane.drift.FeatureSampler;
import io.modelmesh.dataplane.drift.SamplerConfig;
import io.modelmesh.engine.FloatBatch;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What drift sampling costs a request thread, measured in-process without a server (bench/drift.sh prints it next to
 * the predict-vs-echo runs, which on a shared machine are too noisy to resolve a few percent): THREADS request threads
 * offer one iris row each as fast as they can for SECONDS, the sampler's worker running as in a node, and a report
 * drained every second. Prints the mean time per offer and how many rows were dropped because the queue was full
 * (when the worker cannot keep up with offers arriving this fast, the drop path is what requests pay).
 *
 * <p>Usage: {@code java -cp 'lib/*' SamplerCost.java THREADS SECONDS}
 */
public final class SamplerCost {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (String mode : new String[]{"off", "on"}) {
            FeatureSampler sampler = new FeatureSampler(mode.equals("on") ? SamplerConfig.defaults()
                    : new SamplerConfig(0, SamplerConfig.DEFAULT_QUEUE)).start();
            AtomicBoolean stop = new AtomicBoolean();
            LongAdder offers = new LongAdder();
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = Thread.ofPlatform().start(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        // a new batch per request, as the row parser makes one
                        sampler.offer("iris", "1.0.0", new FloatBatch(new float[]{5.1f, 3.5f, 1.4f, 0.2f}, 1, 4));
                        n++;
                    }
                    offers.add(n);
                });
            }
            long sampled = 0;
            long start = System.nanoTime();
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                sampled += sampler.drain().stream().mapToLong(f -> f.rows().size()).sum();
            }
            stop.set(true);
            for (Thread t : ts) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long n = offers.sum();
            System.out.printf(Locale.ROOT, "SAMPLER_COST mode=%s threads=%d offers=%d offers_per_s=%.0f "
                            + "ns_per_offer_per_thread=%.1f dropped=%d sampled_rows=%d%n", mode, threads, n,
                    n / elapsed, threads * elapsed * 1e9 / n, sampler.droppedTotal(), sampled);
            sampler.close();
        }
    }
}
