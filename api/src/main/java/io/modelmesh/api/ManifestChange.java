package io.modelmesh.api;

import java.util.List;

/**
 * What applying one manifest did (or, in a dry run, would do).
 *
 * @param file         the file it came from
 * @param model        the model it deploys ({@code metadata.name})
 * @param action       {@code created} (first deployment), {@code configured} (a new revision) or {@code unchanged}
 * @param fromRevision the model's revision before (null for a model never deployed)
 * @param revision     the revision written (null in a dry run or when unchanged)
 * @param diff         human-readable changes, one per line ({@code spec.canary.version: (none) -> 1.1.0}), with the
 *                     traffic split before and after
 * @param nodesAcked   live nodes that acknowledged the new revision (0 in a dry run)
 * @param nodesTotal   live nodes it was pushed to
 * @param errors       per-node push failures
 */
public record ManifestChange(String file, String model, String action, Long fromRevision, Long revision,
                             List<String> diff, int nodesAcked, int nodesTotal, List<String> errors) {
    public ManifestChange {
        diff = diff == null ? List.of() : List.copyOf(diff);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
