package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.AliasRequest;
import io.modelmesh.api.StageRequest;
import io.modelmesh.controlplane.registry.AliasService;
import io.modelmesh.controlplane.registry.StageService;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;

/**
 * Aliases and stages: {@code PUT/GET/DELETE /models/{name}/aliases[/{alias}]}, {@code GET /aliases} and
 * {@code PUT /models/{name}/versions/{version}/stage}. Changing either needs deploy; reading them, read.
 */
public final class AliasEndpoints implements Endpoints {
    private final AliasService aliases;
    private final StageService stages;
    private final JsonIo json;

    public AliasEndpoints(AliasService aliases, StageService stages, JsonIo json) {
        this.aliases = aliases;
        this.stages = stages;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .get("/aliases", Access.READ, this::all)
                .get("/models/{name}/aliases", Access.READ, this::list)
                .put("/models/{name}/aliases/{alias}", Access.DEPLOY, this::set)
                .delete("/models/{name}/aliases/{alias}", Access.DEPLOY, this::delete)
                .put("/models/{name}/versions/{version}/stage", Access.DEPLOY, this::stage);
    }

    private void all(ServerRequest req, ServerResponse res) {
        json.ok(res, aliases.all());
    }

    private void list(ServerRequest req, ServerResponse res) {
        json.ok(res, aliases.list(req.path().pathParameters().get("name")));
    }

    private void set(ServerRequest req, ServerResponse res) {
        json.ok(res, aliases.set(req.path().pathParameters().get("name"), req.path().pathParameters().get("alias"),
                json.read(req, AliasRequest.class), Callers.user(req)));
    }

    /** 200 with the alias removed, 204 when there was none (removal is idempotent). */
    private void delete(ServerRequest req, ServerResponse res) {
        aliases.delete(req.path().pathParameters().get("name"), req.path().pathParameters().get("alias"),
                Callers.user(req)).ifPresentOrElse(a -> json.ok(res, a),
                () -> res.status(Status.NO_CONTENT_204).send());
    }

    private void stage(ServerRequest req, ServerResponse res) {
        json.ok(res, stages.set(req.path().pathParameters().get("name"), req.path().pathParameters().get("version"),
                json.read(req, StageRequest.class)));
    }
}
