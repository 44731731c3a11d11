package io.modelmesh.dataplane.admission;

import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.reliability.FallbackPlan;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@link Admission} of every version the node serves, by model, version and loaded artifact (like the batchers: a
 * reloaded artifact starts afresh). Whoever builds a revision's served versions asks {@link #forVersion}; once the
 * revision is in force, {@link #switchTo} applies its policies to the versions it keeps and forgets the others (their
 * requests still finish: they hold the object). Thread-safe.
 */
public final class Admissions {
    private final AdmissionDefaults defaults;
    private final LongSupplier nanoTime;
    private final Map<String, Admission> byKey = new HashMap<>(); // guarded by this

    public Admissions(AdmissionDefaults defaults, LongSupplier nanoTime) {
        this.defaults = defaults;
        this.nanoTime = nanoTime;
    }

    public AdmissionDefaults defaults() {
        return defaults;
    }

    /**
     * The version's admission: the one it already has (its limits change only at {@link #switchTo}, when the revision
     * that changes them is served) or a new one under {@code policy}.
     */
    public synchronized Admission forVersion(String model, String version, ModelHandle handle, ServingPolicy policy) {
        return byKey.computeIfAbsent(key(model, version, handle), k -> new Admission(
                new AdmissionGate(defaults.resolve(policy), nanoTime), plan(policy, handle)));
    }

    /** {@code served} is in force: its versions take its policies; versions it no longer names are forgotten. */
    public synchronized void switchTo(ServingTable served) {
        Map<String, Admission> kept = new HashMap<>();
        for (ServedModel m : served.models().values()) {
            for (ServedVersion v : m.versions().values()) {
                String key = key(m.route().model(), v.version(), v.handle());
                Admission a = byKey.get(key);
                if (a != null && a == v.admission()) {
                    a.configure(defaults.resolve(v.policy()), plan(v.policy(), v.handle()));
                    kept.put(key, a);
                }
            }
        }
        byKey.clear();
        byKey.putAll(kept);
    }

    private static FallbackPlan plan(ServingPolicy policy, ModelHandle handle) {
        return FallbackPlan.of(policy, handle::outputLabels);
    }

    private static String key(String model, String version, ModelHandle handle) {
        return model + "@" + version + "|" + handle.key();
    }
}
