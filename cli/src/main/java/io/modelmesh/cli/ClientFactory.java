package io.modelmesh.cli;

import io.modelmesh.sdk.ModelMeshClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Makes the SDK client a command talks through; tests pass one pointed at in-process servers. */
@FunctionalInterface
public interface ClientFactory {

    /**
     * @param controlPlane control-plane base URL
     * @param dataPlanes   data-plane nodes for predictions; empty means the SDK's default (MM_DATA_PLANE, else the
     *                     control plane's live nodes)
     */
    ModelMeshClient create(URI controlPlane, List<URI> dataPlanes);

    /**
     * The same, verifying https servers against {@code tlsCa} (null: the JDK's trust store). Factories that only
     * talk to plain-http test servers need not implement it.
     */
    default ModelMeshClient create(URI controlPlane, List<URI> dataPlanes, Path tlsCa) {
        return create(controlPlane, dataPlanes);
    }

    /** The SDK with its defaults. */
    static ClientFactory standard() {
        return new ClientFactory() {
            @Override
            public ModelMeshClient create(URI controlPlane, List<URI> dataPlanes) {
                return create(controlPlane, dataPlanes, null);
            }

            @Override
            public ModelMeshClient create(URI controlPlane, List<URI> dataPlanes, Path tlsCa) {
                ModelMeshClient.Builder b = ModelMeshClient.builder().controlPlane(controlPlane);
                if (tlsCa != null) {
                    b.trust(tlsCa);
                }
                if (!dataPlanes.isEmpty()) {
                    b.dataPlanes(dataPlanes);
                }
                try {
                    return b.build();
                } catch (IllegalArgumentException e) { // a CA file (--tls-ca, MM_TLS_CA) that holds no certificate
                    throw CliException.invalidInput(e.getMessage());
                }
            }
        };
    }
}
