package io.modelmesh.server.http;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Scope;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a server's OpenAPI document with the routes it mounts (its {@link RouteInfo} catalog): every mounted route
 * is documented, every documented route is mounted, and each route's security requirements say exactly which
 * {@link Access} the route has. Each server's route-walking tests run it on {@code GET /openapi}'s answer.
 *
 * <p>Security as documented: {@code security: []} (or none) is {@link Access#PUBLIC}; {@code {bearerAuth: [SCOPE]}}
 * is the access of that scope; {@code {pushSignature: []}} is {@link Access#CONTROL_PLANE}. A route whose access is a
 * setting ({@code GET /metrics}: public or read, by {@code --public-metrics}) lists one alternative per access,
 * {@code {}} for public, and is checked against the catalogs of both configurations; a route mounted only in some
 * configurations ({@code POST /echo}) is documented once, like any other. Schemas marked {@code x-record} are checked
 * against the JSON the API's records are written as ({@link #recordMismatches}).
 */
public final class OpenApiCheck {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");

    private OpenApiCheck() {
    }

    /**
     * @param document the OpenAPI document, parsed
     * @param catalogs the catalogs of the same server started in the configurations that change its routes
     * @return one line per disagreement; empty when the document matches
     */
    public static List<String> mismatches(JsonNode document, List<List<RouteInfo>> catalogs) {
        Map<String, Set<Access>> mounted = new TreeMap<>();
        for (List<RouteInfo> catalog : catalogs) {
            for (RouteInfo r : catalog) {
                mounted.computeIfAbsent(r.method() + " " + r.pattern(), k -> new LinkedHashSet<>()).add(r.access());
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, Set<Access>> documented = new TreeMap<>();
        JsonNode paths = document.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                String key = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
                JsonNode security = op.has("security") ? op.get("security") : document.path("security");
                documented.put(key, accesses(key, security, problems));
                undeclaredParameters(document, key, path.getKey(), path.getValue(), op, problems);
            }
        }
        for (Map.Entry<String, Set<Access>> m : mounted.entrySet()) {
            Set<Access> doc = documented.get(m.getKey());
            if (doc == null) {
                problems.add(m.getKey() + " is mounted (" + m.getValue() + ") but not in the document");
            } else if (!doc.equals(m.getValue())) {
                problems.add(m.getKey() + " is mounted with access " + m.getValue() + " but documented as " + doc);
            }
        }
        for (String key : documented.keySet()) {
            if (!mounted.containsKey(key)) {
                problems.add(key + " is in the document but not mounted");
            }
        }
        return problems;
    }

    /**
     * Compares each schema marked {@code x-record: CLASS} with the JSON that {@code mapper} writes for that record:
     * the schema's {@code properties} must be exactly the record's JSON field names (snake_case with the API's mapper).
     *
     * @return one line per disagreement; empty when every marked schema matches
     */
    public static List<String> recordMismatches(JsonNode document, ObjectMapper mapper) {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("components").path("schemas").fields();
             it.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = it.next();
            JsonNode record = schema.getValue().get("x-record");
            if (record == null) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(record.asText());
            } catch (ClassNotFoundException e) {
                problems.add(schema.getKey() + ": x-record " + record.asText() + " is no class");
                continue;
            }
            BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(type));
            Set<String> written = new TreeSet<>();
            bean.findProperties().forEach(p -> written.add(p.getName()));
            Set<String> documented = new TreeSet<>();
            schema.getValue().path("properties").fieldNames().forEachRemaining(documented::add);
            if (!written.equals(documented)) {
                problems.add(schema.getKey() + " documents " + documented + " but " + type.getSimpleName()
                        + " is written as " + written);
            }
        }
        return problems;
    }

    /** The accesses a security requirement list stands for. */
    private static Set<Access> accesses(String key, JsonNode security, List<String> problems) {
        Set<Access> result = new LinkedHashSet<>();
        if (security.isMissingNode() || security.isNull() || security.isEmpty()) {
            result.add(Access.PUBLIC);
            return result;
        }
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                result.add(Access.PUBLIC);
            } else if (requirement.size() == 1 && requirement.has("pushSignature")
                    && requirement.get("pushSignature").isEmpty()) {
                result.add(Access.CONTROL_PLANE);
            } else if (requirement.size() == 1 && requirement.path("bearerAuth").size() == 1) {
                try {
                    result.add(Access.of(Scope.parse(requirement.get("bearerAuth").get(0).asText())));
                } catch (IllegalArgumentException e) {
                    problems.add(key + ": " + e.getMessage());
                }
            } else {
                problems.add(key + ": security requirement " + requirement + " is none of {}, {bearerAuth: [SCOPE]}, "
                        + "{pushSignature: []}");
            }
        }
        return result;
    }

    /** Swagger UI can call a templated path only when each of its parameters is declared. */
    private static void undeclaredParameters(JsonNode document, String key, String template, JsonNode pathItem,
                                             JsonNode op, List<String> problems) {
        Set<String> declared = new LinkedHashSet<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), op.path("parameters"))) {
            for (JsonNode p : list) {
                if (p.has("$ref") && p.get("$ref").asText().startsWith("#/")) {
                    p = document.at(p.get("$ref").asText().substring(1));
                }
                if ("path".equals(p.path("in").asText()) && p.path("required").asBoolean()) {
                    declared.add(p.path("name").asText());
                }
            }
        }
        Matcher m = PARAMETER.matcher(template);
        while (m.find()) {
            if (!declared.contains(m.group(1))) {
                problems.add(key + ": path parameter {" + m.group(1) + "} is not declared (in: path, required: true)");
            }
        }
    }
}
