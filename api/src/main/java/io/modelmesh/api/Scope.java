package io.modelmesh.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. {@code admin} implies every scope, {@code deploy} implies {@code read} and {@code preview}
 * implies {@code predict}; {@code node} and {@code predict} imply nothing else (a node's credential cannot deploy, a
 * prediction token cannot read the registry nor preview an unrouted version).
 * docs/security.md lists what each scope reaches.
 */
public enum Scope {
    /** List, status, history, monitoring. */
    READ,
    /** Register, deploy, canary, promote, rollback, shadow, A/B, apply (and everything {@link #READ} does). */
    DEPLOY,
    /** Tokens, chaos, deletes: everything. */
    ADMIN,
    /** The node channel: join, heartbeats, outcome reports, routing and artifact downloads. */
    NODE,
    /** Predictions on data-plane nodes. */
    PREDICT,
    /**
     * Predictions of a registered version no route sends traffic to ({@code X-ModelMesh-Preview: true}), kept out of
     * splits, live-traffic statistics and canary analysis (and everything {@link #PREDICT} does).
     */
    PREVIEW;

    /** The scope as written in requests, tokens and messages: {@code read}, {@code deploy}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether holding this scope grants {@code required}. */
    public boolean implies(Scope required) {
        return this == required || this == ADMIN || (this == DEPLOY && required == READ)
                || (this == PREVIEW && required == PREDICT);
    }

    /** Whether any of {@code held} grants {@code required}. */
    public static boolean granted(Set<Scope> held, Scope required) {
        for (Scope s : held) {
            if (s.implies(required)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the scopes that exist
     */
    public static Scope parse(String s) {
        if (s != null) {
            for (Scope v : values()) {
                if (v.wireName().equalsIgnoreCase(s.trim())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("unknown scope '" + s + "'; scopes are read, deploy, admin, node, predict "
                + "and preview");
    }

    /** Parses a comma-separated list ({@code "read,deploy"}); empty entries are ignored. */
    public static Set<Scope> parseAll(String csv) {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        if (csv != null) {
            for (String part : csv.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(part));
                }
            }
        }
        return out;
    }
}
