package io.modelmesh.sdk;

import io.modelmesh.api.Framework;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to register: built with {@link #of(String, Path)} and the {@code with*} methods.
 *
 * @param name      model name
 * @param file      artifact on local disk (streamed, never read whole into memory)
 * @param framework framework, or null to let the control plane detect it
 * @param version   semantic version, or null to let the control plane assign the next one
 * @param features  feature names of the input columns (may be empty)
 * @param metadata  free-form key/values
 * @param deploy    whether the first version of a new model goes live at once (default true)
 * @param reference drift reference rows (CSV with a header, or JSON rows) stored with the version, or null: its
 *                  reference is then the first rows it serves
 */
public record Registration(String name, Path file, Framework framework, String version, List<String> features,
                           Map<String, String> metadata, boolean deploy, Path reference) {
    public Registration {
        features = features == null ? List.of() : List.copyOf(features);
        metadata = metadata == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(metadata));
    }

    public Registration(String name, Path file, Framework framework, String version, List<String> features,
                        Map<String, String> metadata, boolean deploy) {
        this(name, file, framework, version, features, metadata, deploy, null);
    }

    public static Registration of(String name, Path file) {
        return new Registration(name, file, null, null, List.of(), Map.of(), true, null);
    }

    public Registration withFramework(Framework f) {
        return new Registration(name, file, f, version, features, metadata, deploy, reference);
    }

    public Registration withVersion(String v) {
        return new Registration(name, file, framework, v, features, metadata, deploy, reference);
    }

    public Registration withFeatures(List<String> f) {
        return new Registration(name, file, framework, version, f, metadata, deploy, reference);
    }

    public Registration withMetadata(Map<String, String> m) {
        return new Registration(name, file, framework, version, features, m, deploy, reference);
    }

    public Registration withDeploy(boolean d) {
        return new Registration(name, file, framework, version, features, metadata, d, reference);
    }

    /** Drift reference rows to store with the version (CSV with a header naming the features, or JSON rows). */
    public Registration withReference(Path rows) {
        return new Registration(name, file, framework, version, features, metadata, deploy, rows);
    }
}
