package io.modelmesh.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A value read at scrape time from a supplier (label values to value). A supplier that fails (e.g. the database is
 * down) yields no samples for that scrape instead of failing the whole exposition.
 */
public final class Gauge implements Metric {
    private static final Logger LOG = Logger.getLogger(Gauge.class.getName());

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Supplier<Map<List<String>, Double>> values;

    Gauge(String name, String help, List<String> labelNames, Supplier<Map<List<String>, Double>> values) {
        this.name = Labels.checkName(name);
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        labelNames.forEach(Labels::checkName);
        this.values = values;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(StringBuilder out) {
        Map<List<String>, Double> current;
        try {
            current = values.get();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "gauge " + name + " unavailable", e);
            current = Map.of();
        }
        Labels.header(out, name, help, "gauge");
        Map<String, Double> sorted = new TreeMap<>();
        current.forEach((labels, v) -> {
            if (labels.size() == labelNames.size()) {
                sorted.put(Labels.render(labelNames, labels, null, null), v);
            }
        });
        sorted.forEach((labels, v) -> out.append(name).append(labels).append(' ').append(Labels.formatDouble(v))
                .append('\n'));
    }
}
