package io.modelmesh.cli;

import io.modelmesh.sdk.ModelMeshClient;

import java.net.URI;
import java.util.List;

/** Makes the SDK client a command talks through; tests pass one pointed at in-process servers. */
@FunctionalInterface
public interface ClientFactory {

    /**
     * @param controlPlane control-plane base URL
     * @param dataPlanes   data-plane nodes for predictions; empty means the SDK's default (MM_DATA_PLANE, else the
     *                     control plane's live nodes)
     * @param token        the bearer token to send, or null
     */
    ModelMeshClient create(URI controlPlane, List<URI> dataPlanes, String token);

    /** The SDK with its defaults. */
    static ClientFactory standard() {
        return (controlPlane, dataPlanes, token) -> {
            ModelMeshClient.Builder b = ModelMeshClient.builder().controlPlane(controlPlane).token(token);
            if (!dataPlanes.isEmpty()) {
                b.dataPlanes(dataPlanes);
            }
            return b.build();
        };
    }
}
