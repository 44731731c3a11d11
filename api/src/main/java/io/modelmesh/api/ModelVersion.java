package io.modelmesh.api;

import java.time.Instant;
import java.util.Map;

/**
 * An immutable, registered version of a model.
 *
 * @param model     model name
 * @param version   semantic version X.Y.Z
 * @param framework wire name of the framework ("onnx", ...)
 * @param sha256    hex sha256 of the artifact bytes; also its address in the artifact store
 * @param sizeBytes artifact size
 * @param schema    inputs, outputs and feature names
 * @param metadata  free-form key/values given at registration
 * @param parent    the version this one was registered after (lineage), or null for the first
 * @param createdAt registration time
 * @param createdBy who registered it
 * @param served    what nodes load instead of the uploaded file (the PMML converted from a pickle), or null when they
 *                  load the upload itself
 * @param stage     staging, production or archived ({@link Stage}); null in answers from before stages
 */
public record ModelVersion(String model, String version, String framework, String sha256, long sizeBytes,
                           ModelSchema schema, Map<String, String> metadata, String parent, Instant createdAt,
                           String createdBy, ServedArtifact served, Stage stage) {
    public ModelVersion {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A version as registered: in stage staging. */
    public ModelVersion(String model, String version, String framework, String sha256, long sizeBytes,
                        ModelSchema schema, Map<String, String> metadata, String parent, Instant createdAt,
                        String createdBy, ServedArtifact served) {
        this(model, version, framework, sha256, sizeBytes, schema, metadata, parent, createdAt, createdBy, served,
                Stage.STAGING);
    }

    /** The same version with other feature names (the schema's inputs and outputs unchanged). */
    public ModelVersion withFeatures(java.util.List<String> features) {
        ModelSchema s = schema == null ? ModelSchema.empty() : schema;
        return new ModelVersion(model, version, framework, sha256, sizeBytes,
                new ModelSchema(s.inputs(), s.outputs(), features), metadata, parent, createdAt, createdBy, served,
                stage);
    }

    /** The same version with other metadata. */
    public ModelVersion withMetadata(Map<String, String> newMetadata) {
        return new ModelVersion(model, version, framework, sha256, sizeBytes, schema, newMetadata, parent, createdAt,
                createdBy, served, stage);
    }

    /** The sha256 of the file nodes load: the converted artifact when there is one, else the upload. */
    public String servedSha256() {
        return served == null ? sha256 : served.sha256();
    }

    /** The size of the file nodes load. */
    public long servedSizeBytes() {
        return served == null ? sizeBytes : served.sizeBytes();
    }
}
