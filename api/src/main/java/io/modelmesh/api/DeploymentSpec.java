package io.modelmesh.api;

/**
 * A model's desired deployment: the {@code spec} of a {@code ModelDeployment} manifest (see manifests/README.md), and
 * what every imperative command ({@code deploy}, {@code canary}, {@code shadow}, {@code ab}) writes too, so that history
 * and {@code diff} speak one language. Exactly the section its strategy names is set.
 *
 * @param strategy how traffic is split
 * @param stable   the version serving by default (FULL, CANARY, SHADOW); null for AB
 * @param canary   the canary (CANARY only)
 * @param shadow   the shadow (SHADOW only)
 * @param ab       the arms (AB only)
 * @param serving  batching and cache settings (null: defaults)
 * @param drift    drift detection settings (null: defaults)
 */
public record DeploymentSpec(Strategy strategy, String stable, CanarySpec canary, ShadowSpec shadow, AbSpec ab,
                             ServingPolicy serving, DriftPolicy drift) {

    /** How traffic is split; written in lower case ({@code full}, {@code canary}, {@code shadow}, {@code ab}). */
    public enum Strategy {
        FULL, CANARY, SHADOW, AB;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Strategy parse(String s) {
            for (Strategy v : values()) {
                if (v.wireName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return v;
                }
            }
            throw new IllegalArgumentException("strategy must be one of full, canary, shadow, ab; got '" + s + "'");
        }
    }

    public DeploymentSpec {
        serving = serving == null ? ServingPolicy.defaults() : serving;
        drift = drift == null ? DriftPolicy.defaults() : drift;
    }

    /** A spec with the default drift settings. */
    public DeploymentSpec(Strategy strategy, String stable, CanarySpec canary, ShadowSpec shadow, AbSpec ab,
                          ServingPolicy serving) {
        this(strategy, stable, canary, shadow, ab, serving, null);
    }

    public static DeploymentSpec full(String version, ServingPolicy serving) {
        return new DeploymentSpec(Strategy.FULL, version, null, null, null, serving);
    }

    public static DeploymentSpec full(String version, ServingPolicy serving, DriftPolicy drift) {
        return new DeploymentSpec(Strategy.FULL, version, null, null, null, serving, drift);
    }
}
