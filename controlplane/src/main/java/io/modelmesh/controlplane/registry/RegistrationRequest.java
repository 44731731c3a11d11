package io.modelmesh.controlplane.registry;

import io.modelmesh.api.Framework;
import io.modelmesh.server.errors.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The form fields of {@code POST /models} as sent (strings, possibly missing). {@link #validate()} turns them into a
 * {@link Registration} or a 400 naming the field to fix; pure.
 *
 * @param name      {@code name}
 * @param version   {@code version}, or null
 * @param framework {@code framework}, or null
 * @param features  {@code features}: comma-separated column names, or null
 * @param meta      each {@code meta} field ({@code k=v})
 * @param deploy    {@code deploy}: true/false, or null (true)
 * @param createdBy the name of the token that sent the upload (set by the server, never by a form field)
 * @param filename  the file part's file name, or null
 */
public record RegistrationRequest(String name, String version, String framework, String features, List<String> meta,
                                  String deploy, String createdBy, String filename) {
    static final int MAX_META_KEY = 128;
    static final int MAX_CREATED_BY = 200;

    public RegistrationRequest {
        meta = meta == null ? List.of() : List.copyOf(meta);
    }

    /** The same fields, authored by {@code author} (the authenticated caller). */
    public RegistrationRequest by(String author) {
        return new RegistrationRequest(name, version, framework, features, meta, deploy, author, filename);
    }

    /**
     * A validated registration.
     *
     * @param version   the requested version, or null to assign the next one
     * @param framework the declared framework, or null to detect it
     */
    public record Registration(String name, SemVer version, Framework framework, List<String> features,
                               Map<String, String> metadata, boolean deploy, String createdBy, String filename) {
    }

    public Registration validate() {
        String n = ModelNames.require(blankToNull(name));
        SemVer v = null;
        if (blankToNull(version) != null) {
            try {
                v = SemVer.parse(version);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        Framework f = null;
        if (blankToNull(framework) != null) {
            try {
                f = Framework.parse(framework);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        String by = blankToNull(createdBy) == null ? "anonymous" : createdBy.trim();
        if (by.length() > MAX_CREATED_BY) {
            throw new InvalidInputException("created_by is longer than " + MAX_CREATED_BY + " characters");
        }
        return new Registration(n, v, f, parseFeatures(features), parseMeta(meta), parseDeploy(deploy), by, filename);
    }

    static List<String> parseFeatures(String features) {
        if (blankToNull(features) == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : features.split(",", -1)) {
            String f = raw.trim();
            if (f.isEmpty()) {
                throw new InvalidInputException("features '" + features + "' has an empty name; send comma-separated "
                        + "column names such as sepal_length,sepal_width,petal_length,petal_width");
            }
            if (!seen.add(f)) {
                throw new InvalidInputException("feature '" + f + "' is listed twice in '" + features + "'");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    static Map<String, String> parseMeta(List<String> meta) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : meta) {
            int eq = m.indexOf('=');
            String key = eq < 0 ? "" : m.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new InvalidInputException("meta '" + m + "' is not key=value (e.g. meta=team=fraud)");
            }
            if (key.length() > MAX_META_KEY) {
                throw new InvalidInputException("meta key '" + key.substring(0, 20) + "...' is longer than "
                        + MAX_META_KEY + " characters");
            }
            if (out.put(key, m.substring(eq + 1).trim()) != null) {
                throw new InvalidInputException("meta key '" + key + "' is given twice");
            }
        }
        return out;
    }

    static boolean parseDeploy(String deploy) {
        if (blankToNull(deploy) == null) {
            return true;
        }
        return switch (deploy.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidInputException("deploy must be true or false, got '" + deploy + "'");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
