package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Both servers' OpenAPI documents are valid OpenAPI 3.1 (the OpenAPI Initiative's JSON Schema, kept in the test
 * resources so this runs offline). Catches what the route check cannot, such as an unquoted comma in a YAML flow
 * mapping that turns half a description into a stray key.
 */
class OpenApiSchemaTest {
    static final Path DATA_PLANE = Path.of("..", "dataplane", "src", "main", "resources", "openapi", "dataplane.yaml");
    static JsonSchema oas;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiSchemaTest.class.getResourceAsStream("/openapi/oas-3.1-schema.json")) {
            oas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void theControlPlanesDocumentIsValidOpenApi31() throws IOException {
        try (InputStream in = ControlPlane.class.getResourceAsStream(ControlPlane.OPENAPI)) {
            assertEquals(Set.of(), oas.validate(new YAMLMapper().readTree(in)));
        }
    }

    @Test
    void theDataPlanesDocumentIsValidOpenApi31() throws IOException {
        assertEquals(Set.of(), oas.validate(new YAMLMapper().readTree(DATA_PLANE.toFile())));
    }

    @Test
    void aDescriptionSplitByAnUnquotedCommaIsFound() throws IOException {
        JsonNode doc;
        try (InputStream in = ControlPlane.class.getResourceAsStream(ControlPlane.OPENAPI)) {
            doc = new YAMLMapper().readTree(in);
        }
        // what `{description: windows of 1, 5 and 15 minutes, content: ...}` parses to
        ((ObjectNode) doc.at("/paths/~1monitoring~1latency~1{model}/get/responses/200")).putNull("5 and 15 minutes");
        Set<ValidationMessage> problems = oas.validate(doc);
        assertFalse(problems.isEmpty());
    }
}
