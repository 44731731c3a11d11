package io.modelmesh.dataplane.routing;

import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;

import java.util.List;

/**
 * Picks the version that answers a request. Pure: the caller supplies the 64-bit key (the hash of the sticky header,
 * or a random value when the request has none), so tests fix it. An explicit version wins; otherwise weighted
 * rendezvous hashing: for each routed version i, {@code u_i = unit(mix64(key ^ hash(version_i)))} and
 * {@code score_i = weight_i / -ln(u_i)}; the highest score answers.
 *
 * <p>Properties: a version answers a share {@code weight_i / Σ weight} of keys; the same key gets the same version
 * while the weights are unchanged, on every node; when weights change, a key only moves to a version whose weight
 * grew relatively more than its own version's ({@code w'/w} higher). Moving share from every other version
 * proportionally onto one (a canary step 5 → 25, a new arm) therefore moves exactly that share of keys, all onto it.
 */
public final class Router {
    private Router() {
    }

    /**
     * @param table   what the node serves
     * @param model   requested model
     * @param version requested version, or null for the routed one
     * @param key     the request's sticky key hash ({@link StickyHash#of}) or a random 64-bit value
     */
    public static ServedVersion pick(ServingTable table, String model, String version, long key) {
        ServedModel served = table.models().get(model);
        if (served == null) {
            String failure = table.failed().get(model);
            if (failure != null) {
                throw new UnavailableException("model '" + model + "' is deployed but this node could not load it: "
                        + failure);
            }
            throw new NotFoundException("model '" + model + "' is not deployed on this node (serving: "
                    + table.models().keySet().stream().sorted().toList() + ")");
        }
        if (version != null) {
            String named = resolve(served, model, version);
            ServedVersion v = served.versions().get(named);
            if (v == null && !named.equals(version)) {
                throw new NotFoundException("alias " + version + " of model '" + model + "' names version " + named
                        + ", which is not deployed (deployed: " + served.versions().keySet().stream().sorted().toList()
                        + ")");
            }
            if (v == null) {
                throw new NotFoundException("version '" + version + "' of model '" + model + "' is not deployed "
                        + "(deployed: " + served.versions().keySet().stream().sorted().toList() + ")");
            }
            return v;
        }
        List<ServedVersion> weighted = served.weighted();
        if (weighted.isEmpty()) {
            throw new UnavailableException("model '" + model + "' has no version taking traffic");
        }
        return weighted.size() == 1 ? weighted.getFirst() : weighted.get(arm(key, served.armHashes(), weighted));
    }

    /**
     * The version {@code version} names: an alias ({@code @champion}) resolved through the route's aliases, anything
     * else as given.
     *
     * @throws NotFoundException for an alias the model does not have
     */
    public static String resolve(ServedModel served, String model, String version) {
        if (!version.startsWith("@")) {
            return version;
        }
        String v = served.route().aliases().get(version.substring(1));
        if (v == null) {
            throw new NotFoundException("model '" + model + "' has no alias " + version + " (aliases: "
                    + new java.util.TreeMap<>(served.route().aliases()) + ")");
        }
        return v;
    }

    /** Index of the highest-scoring arm for {@code key}. */
    static int arm(long key, long[] armHashes, List<ServedVersion> weighted) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < armHashes.length; i++) {
            double u = StickyHash.unit(StickyHash.mix64(key ^ armHashes[i]));
            double score = weighted.get(i).target().weight() / -Math.log(u);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }
}
