package io.modelmesh.cli;

import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.RetryPolicy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Makes the SDK client a command talks through; tests pass one pointed at in-process servers. */
@FunctionalInterface
public interface ClientFactory {

    /**
     * @param controlPlanes control-plane base URLs (several of one cluster: the client fails over between them)
     * @param dataPlanes   data-plane nodes for predictions; empty means the SDK's default (MM_DATA_PLANE, else the
     *                     control plane's live nodes)
     * @param token        the bearer token to send, or null
     * @param tlsCa        PEM CA bundle https servers are verified with, or null for the JDK's trust store
     */
    ModelMeshClient create(List<URI> controlPlanes, List<URI> dataPlanes, String token, Path tlsCa);

    /** The SDK with its defaults. */
    static ClientFactory standard() {
        return standard(RetryPolicy.DEFAULT);
    }

    /** The SDK with its defaults but {@code retry} (the AOT training run's clients do not retry). */
    static ClientFactory standard(RetryPolicy retry) {
        return (controlPlanes, dataPlanes, token, tlsCa) -> {
            ModelMeshClient.Builder b = ModelMeshClient.builder().controlPlanes(controlPlanes).token(token)
                    .retryPolicy(retry);
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
        };
    }
}
