package io.modelmesh.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose.yaml and the smoke run's override against the Compose Specification's JSON Schema (draft-07, vendored in
 * {@code src/test/resources/compose} with its source and licence), after interpolation with no variable set, as
 * {@code docker compose config} would validate them. The schema is shown to bite: a misspelt key and a value outside
 * its enumeration are refused.
 */
class ComposeSchemaTest {
    private static JsonSchema schema;
    private static final Path ROOT = ComposeFile.repository();

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = ComposeSchemaTest.class.getResourceAsStream("/compose/compose-spec.json")) {
            assertNotNull(in, "compose/compose-spec.json is missing from the test resources");
            JsonNode node = new ObjectMapper().readTree(in);
            assertEquals("https://json-schema.org/draft-07/schema", node.path("$schema").asText());
            // its $id ("compose_spec.json") is relative: resolved against where the schema was loaded from
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                    .getSchema(SchemaLocation.of("classpath:compose/compose-spec.json"));
        }
    }

    private static Set<String> problems(JsonNode compose) {
        return schema.validate(compose).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    @Test
    void composeYamlFollowsTheSpecification() {
        JsonNode compose = ComposeFile.interpolated(ROOT.resolve("compose.yaml"), Map.of());
        assertEquals(Set.of(), problems(compose));
    }

    @Test
    void theSmokeOverrideFollowsTheSpecification() {
        JsonNode override = ComposeFile.interpolated(ROOT.resolve("deploy/compose.smoke.yaml"), Map.of());
        assertEquals(Set.of(), problems(override));
    }

    @Test
    void aMisspeltKeyIsRefused() {
        ObjectNode compose = (ObjectNode) ComposeFile.interpolated(ROOT.resolve("compose.yaml"), Map.of());
        ((ObjectNode) compose.path("services").path("node-1")).put("read_onyl", true);
        Set<String> problems = problems(compose);
        assertTrue(problems.stream().anyMatch(p -> p.contains("read_onyl")), problems.toString());
    }

    @Test
    void aValueOutsideItsEnumIsRefused() {
        ObjectNode compose = (ObjectNode) ComposeFile.interpolated(ROOT.resolve("compose.yaml"), Map.of());
        ((ObjectNode) compose.path("services").path("controlplane-1").path("depends_on").path("postgres"))
                .put("condition", "service_ready");
        Set<String> problems = problems(compose);
        assertTrue(problems.stream().anyMatch(p -> p.contains("condition")), problems.toString());
    }

    @Test
    void interpolationFollowsTheSpecification() {
        Map<String, String> env = Map.of("SET", "v", "EMPTY", "");
        assertEquals("v|d|v|", ComposeFile.interpolate("${SET}|${UNSET:-d}|${SET:-d}|${UNSET}", env, "t"));
        assertEquals("d|", ComposeFile.interpolate("${EMPTY:-d}|${EMPTY-d}", env, "t"));
        assertEquals("$HOME ${SET}", ComposeFile.interpolate("$$HOME $${SET}", env, "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComposeFile.interpolate("${UNSET:?run deploy/compose-secrets.sh}", env, "x.y"));
        assertEquals("x.y: UNSET is required: run deploy/compose-secrets.sh", e.getMessage());
    }
}
