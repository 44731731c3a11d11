package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.Scope;
import io.modelmesh.server.auth.Principal;
import io.modelmesh.server.errors.ForbiddenException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.registry.ArtifactStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code GET /artifacts/{sha256}}: streams a stored artifact with its length and checksum, to nodes and admins. */
public final class ArtifactEndpoints implements Endpoints {
    private final ArtifactStore store;

    public ArtifactEndpoints(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/artifacts/{sha256}", Access.NODE, this::download);
    }

    private void download(ServerRequest req, ServerResponse res) throws IOException {
        Principal caller = ScopedRoutes.principal(req);
        if (caller.kind() != Principal.Kind.NODE && !caller.has(Scope.ADMIN)) {
            throw new ForbiddenException("artifacts (the uploaded files, pickles included) are downloaded by joined "
                    + "nodes, with their session, and by admins");
        }
        String sha = req.path().pathParameters().get("sha256").toLowerCase(Locale.ROOT);
        if (!ArtifactStore.SHA256.matcher(sha).matches()) {
            throw new InvalidInputException("'" + sha + "' is not a sha256: expected 64 hexadecimal characters");
        }
        Path file = store.find(sha).orElseThrow(() -> new NotFoundException("no artifact with sha256 " + sha));
        InputStream in;
        long size;
        try {
            in = Files.newInputStream(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no artifact with sha256 " + sha);
        }
        try (InputStream input = in) {
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(size));
            res.header("X-Checksum-Sha256", sha);
            res.header(HeaderNames.ETAG, "\"" + sha + "\"");
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
            try (OutputStream out = res.outputStream()) {
                input.transferTo(out);
            }
        }
    }
}
