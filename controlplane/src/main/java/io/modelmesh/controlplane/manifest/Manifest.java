package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.DeploymentSpec;

import java.util.Map;

/**
 * A valid {@code ModelDeployment} manifest (see manifests/README.md).
 *
 * @param apiVersion always {@value ManifestReader#API_VERSION}
 * @param kind       always {@value ManifestReader#KIND}
 * @param name       the registered model it deploys ({@code metadata.name})
 * @param labels     free-form labels, kept but not interpreted
 * @param spec       the desired deployment
 * @param allowSchemaChange {@code spec.allowSchemaChange}: a canary, shadow or A/B arm may take another input than the
 *                   stable version
 */
public record Manifest(String apiVersion, String kind, String name, Map<String, String> labels, DeploymentSpec spec,
                       boolean allowSchemaChange) {
    public Manifest {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public Manifest(String apiVersion, String kind, String name, Map<String, String> labels, DeploymentSpec spec) {
        this(apiVersion, kind, name, labels, spec, false);
    }
}
