package io.modelmesh.engine;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;

import java.nio.file.Path;

/**
 * One inference runtime (ONNX Runtime, PyTorch, PMML ...). Engines are stateless factories: {@link #load} opens an
 * artifact and returns a {@link LoadedModel} that owns the native resources. The same call validates uploads in the
 * control plane and loads versions on data-plane nodes, so what registers is exactly what serves.
 */
public interface InferenceEngine {

    Framework framework();

    /**
     * Opens an artifact.
     *
     * @param artifact path of the artifact on local disk
     * @param features feature names given at registration (may be empty); the engine checks them against the model
     * @return the loaded model; the caller closes it
     * @throws InvalidModelException when the file is not a model this engine can serve, with a message saying why
     */
    LoadedModel load(Path artifact, java.util.List<String> features) throws InvalidModelException;

    /** Reads the schema of an artifact and releases it: validation at registration. */
    default ModelSchema inspect(Path artifact, java.util.List<String> features) throws InvalidModelException {
        try (LoadedModel model = load(artifact, features)) {
            return model.schema();
        }
    }
}
