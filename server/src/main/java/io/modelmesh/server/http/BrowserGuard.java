package io.modelmesh.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.ForbiddenException;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin requests are refused unless their origin is configured ({@code --cors-allowed-origins}); CORS is off by
 * default. Browsers send {@code Origin} on every cross-origin request and on same-origin writes, so a page the operator
 * happens to visit cannot drive a server on loopback, while the server's own pages ({@code /docs}) still work. Requests
 * without {@code Origin} (curl, the SDKs, the CLI) are not affected.
 */
public final class BrowserGuard {
    static final HeaderName ORIGIN = HeaderNames.ORIGIN;
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, X-Request-ID, X-Request-Timeout, "
            + "X-User-Id, traceparent";

    private final Set<String> allowed;

    private BrowserGuard(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * @param origins allowed origins ({@code https://app.example.com}); empty means none but the server's own
     * @throws IllegalArgumentException naming an entry that is not an origin
     */
    public static BrowserGuard allowing(List<String> origins) {
        Set<String> set = new LinkedHashSet<>();
        for (String o : origins) {
            if (o.isBlank()) {
                continue;
            }
            String n = normalize(o.trim());
            if (n == null) {
                throw new IllegalArgumentException("allowed origin '" + o + "' is not an origin such as "
                        + "https://app.example.com (scheme, host and optional port; no path)");
            }
            set.add(n);
        }
        return new BrowserGuard(set);
    }

    public Set<String> allowed() {
        return allowed;
    }

    /** The filter both servers install first. */
    public Filter filter() {
        return (chain, req, res) -> {
            String origin = req.headers().first(ORIGIN).orElse(null);
            if (origin == null) {
                chain.proceed();
                return;
            }
            String normalized = normalize(origin.trim());
            boolean same = normalized != null && normalized.equals(ownOrigin(req));
            boolean listed = normalized != null && allowed.contains(normalized);
            if (!same && !listed) {
                throw new ForbiddenException("cross-origin request from '" + abbreviate(origin) + "' refused: this "
                        + "server allows no other origins" + (allowed.isEmpty() ? "" : " than " + allowed)
                        + " (start it with --cors-allowed-origins ORIGIN to allow one)");
            }
            if (listed) {
                res.header(HeaderNames.create("Access-Control-Allow-Origin"), origin.trim());
                res.header(HeaderNames.VARY, "Origin");
                if (req.prologue().method() == Method.OPTIONS
                        && req.headers().contains(HeaderNames.create("Access-Control-Request-Method"))) {
                    res.header(HeaderNames.create("Access-Control-Allow-Methods"), "GET, POST, PUT, DELETE");
                    res.header(HeaderNames.create("Access-Control-Allow-Headers"), ALLOWED_HEADERS);
                    res.header(HeaderNames.create("Access-Control-Max-Age"), "600");
                    res.status(Status.NO_CONTENT_204).send();
                    return;
                }
            }
            chain.proceed();
        };
    }

    /** {@code scheme://host[:port]} in lower case with default ports dropped, or null when it is not an origin. */
    static String normalize(String origin) {
        try {
            URI u = new URI(origin);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null || u.getRawUserInfo() != null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                return null;
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || (port == 80 && scheme.equals("http"))
                    || (port == 443 && scheme.equals("https"));
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** This request's own origin, from its Host header and whether it came over TLS. */
    private static String ownOrigin(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        if (host == null) {
            return null;
        }
        return normalize((req.isSecure() ? "https://" : "http://") + host.trim());
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
