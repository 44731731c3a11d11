package io.modelmesh.controlplane.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelmesh.api.ErrorDetail;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the JSON Schema and the Java validator honest with each other: every example passes both, every invalid
 * manifest fails both, and ours names the line and field its first line ({@code # expect: LINE FIELD}) promises.
 */
class ManifestSchemaTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path EXAMPLES = ROOT.resolve("manifests/examples");
    static final Path INVALID = Path.of("src/test/resources/manifests/invalid");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+) (\\S+)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonNode node = new ObjectMapper().readTree(ROOT.resolve("manifests/schema/modeldeployment.schema.json")
                .toFile());
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static ManifestReader.Result ours(Path file) throws IOException {
        YamlDocuments.Documents d = assertInstanceOf(YamlDocuments.Documents.class,
                YamlDocuments.parse(file.getFileName().toString(), Files.readString(file)));
        assertEquals(1, d.documents().size());
        return ManifestReader.read(d.documents().getFirst());
    }

    static Set<ValidationMessage> theirs(Path file) throws IOException {
        return schema.validate(YAML.readTree(file.toFile()));
    }

    @TestFactory
    Stream<DynamicTest> everyExamplePassesBoth() throws IOException {
        List<Path> examples = files(EXAMPLES);
        assertEquals(9, examples.size(), examples.toString());
        return examples.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ManifestReader.Result r = ours(f);
            Manifest m = assertInstanceOf(ManifestReader.Valid.class, r, r.toString()).manifest();
            assertEquals("iris", m.name());
            assertEquals(Set.of(), theirs(f));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidManifestFailsBoth() throws IOException {
        List<Path> invalid = files(INVALID);
        assertTrue(invalid.size() >= 10, invalid.toString());
        return invalid.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Matcher m = EXPECT.matcher(Files.readString(f).lines().findFirst().orElse(""));
            assertTrue(m.matches(), f + " starts with # expect: LINE FIELD");
            List<ErrorDetail> problems = assertInstanceOf(ManifestReader.Invalid.class, ours(f)).problems();
            assertTrue(problems.stream().anyMatch(p -> p.field() != null && p.field().equals(m.group(2))
                    && p.line() == Integer.parseInt(m.group(1)) && p.file().equals(f.getFileName().toString())),
                    "expected a problem at line " + m.group(1) + " field " + m.group(2) + ", got " + problems);
            assertFalse(theirs(f).isEmpty(), "the JSON Schema accepts " + f);
        }));
    }
}
