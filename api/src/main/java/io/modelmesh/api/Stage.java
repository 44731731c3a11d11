package io.modelmesh.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a registered version is in its life (like MLflow's stages). A version is registered as {@link #STAGING};
 * rollouts move it: the version that becomes a model's stable version (a deploy, a promoted canary, a rollback) or an
 * A/B arm is {@link #PRODUCTION}, and the production version it replaces, once no longer routed, {@link #ARCHIVED}.
 * Users may set a stage too ({@code mmctl stage set}); a stage labels a version and never moves traffic.
 */
public enum Stage {
    /** Registered, not (yet) serving live traffic as the stable version. */
    STAGING,
    /** Serving, or chosen to serve, the model's live traffic. */
    PRODUCTION,
    /** Replaced; kept for lineage and rollbacks. */
    ARCHIVED;

    /** {@code staging}, {@code production}, {@code archived}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the stages that exist
     */
    @JsonCreator
    public static Stage parse(String s) {
        for (Stage v : values()) {
            if (s != null && v.wireName().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + s + "'; stages are staging, production and archived");
    }
}
