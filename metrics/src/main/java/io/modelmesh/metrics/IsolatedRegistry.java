package io.modelmesh.metrics;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.MetricsFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Helidon {@link MeterRegistry} of its own for one server. Helidon 4.1.7's {@code MetricsFactory} hands out
 * registries that all wrap Micrometer's one process-wide composite, so two servers in one JVM (the tests run a control
 * plane and several nodes in one) would share every series, and a gauge registered by the second would read the first.
 * The Micrometer provider can wrap any Micrometer registry ({@code MMeterRegistry.create}), but only through a
 * package-private factory method, reached here by reflection: a Helidon upgrade that changes it fails every server's
 * start (and {@code MetersTest}) at once, not silently.
 *
 * <p>Underneath is a composite holding one {@link PrometheusMeterRegistry} (the shape Helidon's Prometheus formatter
 * reads), whose filters make the exposed names and labels the documented ones: Helidon's {@code scope} tag is dropped,
 * histograms have only the buckets they are given (no client-side percentiles, no default bucket set), and the JVM
 * gauges Helidon names {@code *.count} get names Prometheus does not reserve.
 */
final class IsolatedRegistry {
    /** Helidon warns about each meter of a registry its factory did not create; held so the level setting stays. */
    private static final Logger HELIDON_REGISTRY_LOG =
            Logger.getLogger("io.helidon.metrics.providers.micrometer.MMeterRegistry");

    static {
        HELIDON_REGISTRY_LOG.setLevel(Level.SEVERE);
    }

    /**
     * Helidon's JVM gauges whose names end in {@code .count}, which Prometheus reserves for histograms and summaries
     * ({@code promtool check metrics} flags them), renamed as Micrometer's own JVM binders name them.
     */
    private static final Map<String, String> JVM_GAUGES = Map.of(
            "thread.count", "jvm.threads.live",
            "thread.daemon.count", "jvm.threads.daemon",
            "thread.max.count", "jvm.threads.peak",
            "classloader.loaded_classes.count", "jvm.classes.loaded");

    private IsolatedRegistry() {
    }

    /** The server's Helidon registry and the Prometheus registry under it (where lock-free histograms register). */
    record Registries(MeterRegistry helidon, PrometheusMeterRegistry prometheus) {
    }

    static Registries create(MetricsFactory factory, MetricsConfig config) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prometheus.config().meterFilter(MeterFilter.ignoreTags(config.scoping().tagName().orElse("scope")));
        prometheus.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String renamed = id.getType() == Meter.Type.GAUGE ? JVM_GAUGES.get(id.getName()) : null;
                return renamed == null ? id : id.withName(renamed);
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig given) {
                return DistributionStatisticConfig.builder()
                        .percentiles(new double[0])
                        .percentilesHistogram(false)
                        .minimumExpectedValue(Double.MIN_VALUE)
                        .build()
                        .merge(given);
            }
        });
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(prometheus);
        try {
            Class<?> registry = Class.forName("io.helidon.metrics.providers.micrometer.MMeterRegistry");
            Class<?> factoryType = Class.forName("io.helidon.metrics.providers.micrometer.MicrometerMetricsFactory");
            Method create = registry.getDeclaredMethod("create", io.micrometer.core.instrument.MeterRegistry.class,
                    factoryType, MetricsConfig.class, Collection.class);
            create.setAccessible(true);
            return new Registries((MeterRegistry) create.invoke(null, composite, factory, config, List.of()),
                    prometheus);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("this Helidon version's Micrometer provider cannot wrap a registry of "
                    + "one server's own (" + e + "); see IsolatedRegistry", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("creating a Helidon meter registry failed: " + e.getCause(), e.getCause());
        }
    }
}
