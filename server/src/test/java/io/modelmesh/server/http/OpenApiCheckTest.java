package io.modelmesh.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check each server's document test runs, on a small document: each kind of disagreement is found. */
class OpenApiCheckTest {
    private static final List<RouteInfo> CATALOG = List.of(
            new RouteInfo("GET", "/models", Access.READ),
            new RouteInfo("POST", "/models", Access.DEPLOY),
            new RouteInfo("GET", "/models/{name}", Access.READ),
            new RouteInfo("GET", "/health", Access.PUBLIC),
            new RouteInfo("GET", "/metrics", Access.PUBLIC),
            new RouteInfo("PUT", "/internal/routing", Access.CONTROL_PLANE));
    private static final List<RouteInfo> CLOSED_METRICS = List.of(new RouteInfo("GET", "/metrics", Access.READ));

    private static ObjectNode document() {
        return (ObjectNode) read("""
                {"openapi": "3.1.0", "paths": {
                  "/models": {"get": {"security": [{"bearerAuth": ["read"]}]},
                              "post": {"security": [{"bearerAuth": ["deploy"]}]}},
                  "/models/{name}": {"parameters": [{"$ref": "#/components/parameters/Name"}],
                                     "get": {"security": [{"bearerAuth": ["read"]}]}},
                  "/health": {"get": {"security": []}},
                  "/metrics": {"get": {"security": [{}, {"bearerAuth": ["read"]}]}},
                  "/internal/routing": {"put": {"security": [{"pushSignature": []}]}}},
                 "components": {"parameters": {"Name": {"name": "name", "in": "path", "required": true}}}}
                """);
    }

    @Test
    void aDocumentThatMatchesHasNoMismatches() {
        assertEquals(List.of(), OpenApiCheck.mismatches(document(), List.of(CATALOG, CLOSED_METRICS)));
    }

    @Test
    void aMountedRouteMissingFromTheDocumentIsFound() {
        ObjectNode doc = document();
        ((ObjectNode) doc.get("paths").get("/models")).remove("post");
        assertEquals(List.of("POST /models is mounted ([DEPLOY]) but not in the document"),
                OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
    }

    @Test
    void aDocumentedRouteThatIsNotMountedIsFound() {
        ObjectNode doc = document();
        ((ObjectNode) doc.get("paths")).set("/models/{name}/versions", read(
                "{\"get\": {\"security\": [{\"bearerAuth\": [\"read\"]}], \"parameters\": "
                        + "[{\"name\": \"name\", \"in\": \"path\", \"required\": true}]}}"));
        assertEquals(List.of("GET /models/{name}/versions is in the document but not mounted"),
                OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
    }

    @Test
    void securityThatDisagreesWithTheAccessIsFound() {
        ObjectNode doc = document();
        ((ObjectNode) doc.at("/paths/~1models/post")).set("security", read("[{\"bearerAuth\": [\"read\"]}]"));
        ((ObjectNode) doc.at("/paths/~1health/get")).set("security", read("[{\"bearerAuth\": [\"read\"]}]"));
        assertEquals(List.of("GET /health is mounted with access [PUBLIC] but documented as [READ]",
                        "POST /models is mounted with access [DEPLOY] but documented as [READ]"),
                OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
    }

    @Test
    void aRouteWhoseAccessIsASettingMustListEveryAlternative() {
        ObjectNode doc = document();
        ((ObjectNode) doc.at("/paths/~1metrics/get")).set("security", read("[]"));
        assertEquals(List.of("GET /metrics is mounted with access [PUBLIC, READ] but documented as [PUBLIC]"),
                OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
        // and an alternative no configuration has is wrong too
        assertEquals(List.of("GET /metrics is mounted with access [PUBLIC] but documented as [PUBLIC, READ]"),
                OpenApiCheck.mismatches(document(), List.of(CATALOG)));
    }

    @Test
    void theRootSecurityAppliesWhereAnOperationHasNone() {
        ObjectNode doc = document();
        doc.set("security", read("[{\"bearerAuth\": [\"read\"]}]"));
        ((ObjectNode) doc.at("/paths/~1models/get")).remove("security");
        assertEquals(List.of(), OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
        ((ObjectNode) doc.at("/paths/~1health/get")).remove("security");
        assertEquals(List.of("GET /health is mounted with access [PUBLIC] but documented as [READ]"),
                OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS)));
    }

    @Test
    void unknownSchemesScopesAndUndeclaredPathParametersAreFound() {
        ObjectNode doc = document();
        ((ObjectNode) doc.at("/paths/~1models/get")).set("security", read("[{\"apiKey\": []}]"));
        ((ObjectNode) doc.at("/paths/~1models/post")).set("security", read("[{\"bearerAuth\": [\"root\"]}]"));
        ((ObjectNode) doc.at("/paths/~1models~1{name}")).remove("parameters");
        List<String> problems = OpenApiCheck.mismatches(doc, List.of(CATALOG, CLOSED_METRICS));
        assertTrue(problems.contains("GET /models: security requirement {\"apiKey\":[]} is none of {}, "
                + "{bearerAuth: [SCOPE]}, {pushSignature: []}"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("POST /models: unknown scope 'root'")),
                problems.toString());
        assertTrue(problems.contains("GET /models/{name}: path parameter {name} is not declared (in: path, "
                + "required: true)"), problems.toString());
    }

    @Test
    void schemasMarkedAsRecordsMustListTheRecordsJsonFields() {
        JsonNode doc = read("""
                {"components": {"schemas": {
                  "RouteInfo": {"x-record": "io.modelmesh.server.http.RouteInfo",
                                "properties": {"method": {}, "pattern": {}, "access": {}}},
                  "ErrorBody": {"x-record": "io.modelmesh.api.ErrorBody",
                                "properties": {"status": {}, "error": {}, "message": {}, "requestId": {}}},
                  "Gone": {"x-record": "io.modelmesh.api.NoSuchRecord"}}}}
                """);
        assertEquals(List.of("ErrorBody documents [error, message, requestId, status] but ErrorBody is written as "
                        + "[details, error, message, request_id, status]",
                        "Gone: x-record io.modelmesh.api.NoSuchRecord is no class"),
                OpenApiCheck.recordMismatches(doc, Json.mapper()));
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
