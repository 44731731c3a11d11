package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.controlplane.auth.TokenService;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;

/**
 * {@code /tokens} (admin only): {@code POST} creates a token and answers it once (201), {@code GET} lists tokens
 * without their secrets ({@code ?all=true} includes revoked ones), {@code DELETE /tokens/{name}} revokes one.
 */
public final class TokenEndpoints implements Endpoints {
    private final TokenService tokens;
    private final JsonIo json;

    public TokenEndpoints(TokenService tokens, JsonIo json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.post("/tokens", Access.ADMIN, this::create)
                .get("/tokens", Access.ADMIN, this::list)
                .delete("/tokens/{name}", Access.ADMIN, this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        json.send(res, Status.CREATED_201, tokens.create(json.read(req, TokenRequest.class), Callers.user(req)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        json.ok(res, tokens.list(req.query().first("all").map(Boolean::parseBoolean).orElse(false)));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        json.ok(res, tokens.revoke(req.path().pathParameters().get("name")));
    }
}
