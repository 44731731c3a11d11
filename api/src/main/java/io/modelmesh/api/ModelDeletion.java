package io.modelmesh.api;

import java.util.List;

/**
 * Answer to {@code DELETE /models/{name}} and {@code DELETE /models/{name}/versions/{version}}.
 *
 * @param model      the model
 * @param modelGone  true when the whole model was deleted (its versions, deployment history, rollouts and shadow
 *                   comparisons with it), false when one version was
 * @param versions   the versions deleted
 * @param artifacts  sha256 of the stored files deleted because no remaining version uses them
 * @param bytesFreed their size in bytes
 */
public record ModelDeletion(String model, boolean modelGone, List<String> versions, List<String> artifacts,
                            long bytesFreed) {
    public ModelDeletion {
        versions = List.copyOf(versions);
        artifacts = List.copyOf(artifacts);
    }
}
