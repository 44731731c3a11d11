package io.modelmesh.controlplane.nodes;

import io.modelmesh.server.errors.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The URL a node registers, which the control plane will call: only {@code http(s)://host[:port]} — no user info,
 * path, query or fragment — and every URL to a node is built from its parts with {@link #resolve}, never by pasting
 * strings, so a registration cannot smuggle a request to somewhere else.
 */
public final class NodeUrls {
    private NodeUrls() {
    }

    /**
     * @return the normalised base URL ({@code scheme://host:port})
     * @throws InvalidInputException saying what is wrong with it
     */
    public static URI require(String url) {
        String given = url == null ? "" : url.trim();
        URI u;
        try {
            u = new URI(given);
        } catch (URISyntaxException e) {
            throw invalid(url, "it does not parse (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw invalid(url, "the scheme must be http or https");
        }
        if (u.getHost() == null || u.getRawAuthority() == null) {
            throw invalid(url, "it names no host");
        }
        if (u.getRawUserInfo() != null) {
            throw invalid(url, "user info (user:password@) is not allowed");
        }
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw invalid(url, "a path is not allowed");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw invalid(url, "a query or fragment is not allowed");
        }
        try {
            return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason());
        }
    }

    /** {@code base} with {@code path} (absolute, e.g. {@code /internal/routing}) built from parts. */
    public static URI resolve(String base, String path) {
        URI b = require(base);
        try {
            return new URI(b.getScheme(), null, b.getHost(), b.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a URL for " + path + ": " + e.getReason(), e);
        }
    }

    private static InvalidInputException invalid(String url, String why) {
        String shown = url == null ? "null" : url.length() > 200 ? url.substring(0, 200) + "..." : url;
        return new InvalidInputException("node url '" + shown + "' is not allowed: " + why + " (expected "
                + "http(s)://HOST:PORT such as http://10.0.0.5:8000)");
    }
}
