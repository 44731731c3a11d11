package io.modelmesh.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.server.errors.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's API description and its interactive page, served from the jar (nothing from the network):
 * <ul>
 * <li>{@code GET /openapi}: the server's OpenAPI 3.1 document (YAML, {@code application/yaml}), written by hand as a
 * resource of the server's module and checked against the routes it mounts by its route-walking tests;</li>
 * <li>{@code GET /docs}: Swagger UI (the {@code org.webjars:swagger-ui} jar) pointed at {@code /openapi}, whose
 * "Authorize" button sends {@code Authorization: Bearer <token>} with every call made from the page;</li>
 * <li>{@code GET /docs/{file}}: the page's script, style sheet and icons (an allow-list, nothing else).</li>
 * </ul>
 * All three are {@link Access#PUBLIC}: they say what the API is, not what it holds, like the server's own error
 * messages that name its endpoints. Calls made from the page need a token as any other caller does, and they pass
 * the {@link BrowserGuard} because the page comes from the server itself (same origin).
 */
public final class ApiDocs implements Endpoints {
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "/io/modelmesh/server/http/docs/";
    /** File name to content type: what the page loads, and only that. */
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            "modelmesh-docs.js", "text/javascript; charset=utf-8");
    /** The page runs only its own files; Swagger UI sets inline styles and shows inline SVG images. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final HeaderName NOSNIFF_HEADER = HeaderNames.create("X-Content-Type-Options");

    private final byte[] document;
    private final String webjarDirectory;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    private ApiDocs(byte[] document, String webjarDirectory) {
        this.document = document;
        this.webjarDirectory = webjarDirectory;
    }

    /**
     * @param owner    a class of the server's module, whose class loader holds the document
     * @param resource the document's absolute resource name, e.g. {@code /openapi/controlplane.yaml}
     * @throws IllegalStateException when the document or Swagger UI is missing from the class path
     */
    public static ApiDocs of(Class<?> owner, String resource) {
        byte[] document = read(owner, resource);
        if (document == null) {
            throw new IllegalStateException("the OpenAPI document " + resource + " is missing from the class path");
        }
        return new ApiDocs(document, "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/");
    }

    /** The document's bytes, as {@code GET /openapi} serves them. */
    public byte[] document() {
        return document.clone();
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/openapi", Access.PUBLIC, this::openapi)
                .get("/docs", Access.PUBLIC, this::page)
                .get("/docs/{file}", Access.PUBLIC, this::file);
    }

    private void openapi(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(NOSNIFF_HEADER, "nosniff");
        res.send(document);
    }

    private void page(ServerRequest req, ServerResponse res) {
        send(res, "text/html; charset=utf-8", own("index.html"));
    }

    private void file(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("file");
        String type = FILES.get(name);
        if (type == null) {
            throw new NotFoundException("no file '" + (name.length() > 80 ? name.substring(0, 80) + "..." : name)
                    + "' under /docs (the API page is GET /docs, its document GET /openapi)");
        }
        send(res, type, name.equals("modelmesh-docs.js") ? own(name) : files.computeIfAbsent(name,
                n -> Objects.requireNonNull(read(ApiDocs.class, webjarDirectory + n), webjarDirectory + n)));
    }

    private byte[] own(String name) {
        return files.computeIfAbsent("own:" + name, n -> Objects.requireNonNull(read(ApiDocs.class, OWN + name),
                OWN + name));
    }

    private static void send(ServerResponse res, String type, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(NOSNIFF_HEADER, "nosniff");
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.send(body);
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/" + WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI (org.webjars:swagger-ui) is missing from the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return Objects.requireNonNull(p.getProperty("version"), "version in " + WEBJAR_POM);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
