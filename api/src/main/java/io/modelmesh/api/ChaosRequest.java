package io.modelmesh.api;

/**
 * {@code POST /deployments/chaos} (admin token required): inject a fault into one routed version on every node, or
 * clear it.
 *
 * @param errorRate       share of the version's requests that fail with 500, 0..1
 * @param latencyMs       delay added to each of its requests (ms)
 * @param durationSeconds how long the fault lasts (null: until cleared)
 * @param clear           true removes the version's fault (the other fields are ignored)
 */
public record ChaosRequest(String model, String version, Double errorRate, Integer latencyMs, Integer durationSeconds,
                           Boolean clear) {
}
