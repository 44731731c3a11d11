package io.modelmesh.api;

/**
 * {@code POST /deployments/shadow}: mirror {@code percent} % (default 100) of the model's requests to {@code version}
 * (a version or an alias, {@code @champion}). {@code allowSchemaChange} (true) lets the shadow take another input
 * schema than the stable version.
 */
public record ShadowRequest(String model, String version, Integer percent, Boolean allowSchemaChange) {
    public ShadowRequest(String model, String version, Integer percent) {
        this(model, version, percent, null);
    }

    /** Whether the request allows the shadow another input schema than the stable version. */
    public boolean schemaChangeAllowed() {
        return Boolean.TRUE.equals(allowSchemaChange);
    }
}
