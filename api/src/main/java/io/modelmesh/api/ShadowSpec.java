package io.modelmesh.api;

/**
 * A shadow: {@code version} receives copies of {@code percent} % of the model's requests; its answers are compared
 * with the ones users get and never returned.
 *
 * @param version the shadow version
 * @param percent share of requests mirrored, 1..100 (null: 100)
 */
public record ShadowSpec(String version, Integer percent) {
    public int percentOrDefault() {
        return percent == null ? 100 : percent;
    }
}
