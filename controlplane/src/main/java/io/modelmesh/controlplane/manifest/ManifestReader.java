package io.modelmesh.controlplane.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.controlplane.deploy.SpecProblem;
import io.modelmesh.controlplane.deploy.SpecRules;
import io.modelmesh.controlplane.registry.ModelNames;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document as a {@code ModelDeployment} manifest (pure). Reports every problem at once, each with its
 * file, line, column and field: the envelope (apiVersion, kind, metadata), unknown fields with the closest allowed
 * name, wrong types, bad durations, then the deployment rules of {@link SpecRules}.
 */
public final class ManifestReader {
    public static final String API_VERSION = "modelmesh.io/v1";
    public static final String KIND = "ModelDeployment";
    private static final List<String> TOP = List.of("apiVersion", "kind", "metadata", "spec");
    private static final List<String> METADATA = List.of("name", "labels");

    private ManifestReader() {
    }

    /** A valid manifest, or every problem found in the document. */
    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(Manifest manifest) implements Result {
    }

    public record Invalid(List<ErrorDetail> problems) implements Result {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }

    public static Result read(YamlDocument doc) {
        Fields f = new Fields(doc);
        for (String dup : doc.duplicates()) {
            f.problem(dup, "is written twice in the same mapping; keep one");
        }
        if (!doc.tree().isObject()) {
            f.problem("", "a manifest is a mapping with apiVersion, kind, metadata and spec; got "
                    + Fields.describe(doc.tree()));
            return new Invalid(f.problems());
        }
        ObjectNode root = f.mapping(doc.tree(), "", TOP);
        String apiVersion = constant(f, root, "apiVersion", API_VERSION);
        String kind = constant(f, root, "kind", KIND);
        ObjectNode metadata = f.mapping(root.get("metadata"), "metadata", METADATA);
        String name = name(f, metadata);
        Map<String, String> labels = labels(f, metadata);
        DeploymentSpec spec = SpecReader.read(f, root.get("spec"));
        boolean allowSchemaChange = SpecReader.allowSchemaChange(f, root.get("spec"));
        if (spec != null) {
            for (SpecProblem p : SpecRules.check(spec)) {
                String field = "spec." + p.field();
                if (!f.reported(field) && !reportedAbove(f, field)) {
                    f.problem(field, p.message());
                }
            }
        }
        List<ErrorDetail> problems = f.problems();
        return problems.isEmpty() ? new Valid(new Manifest(apiVersion, kind, name, labels, spec,
                allowSchemaChange))
                : new Invalid(problems);
    }

    private static String constant(Fields f, ObjectNode root, String key, String expected) {
        String v = f.text(root, "", key);
        if (v == null) {
            if (!f.reported(key)) {
                f.problem(key, "is required: " + key + ": " + expected);
            }
        } else if (!v.equals(expected)) {
            f.problem(key, "must be " + expected + ", got \"" + v + "\"");
        }
        return v;
    }

    private static String name(Fields f, ObjectNode metadata) {
        if (metadata == null) {
            if (!f.reported("metadata")) {
                f.problem("metadata", "is required: metadata: {name: MODEL} names the registered model");
            }
            return null;
        }
        String name = f.text(metadata, "metadata", "name");
        if (name == null) {
            if (!f.reported("metadata.name")) {
                f.problem("metadata.name", "is required: the registered model this manifest deploys");
            }
        } else if (!ModelNames.isValid(name)) {
            f.problem("metadata.name", "'" + name + "' is not a model name: use 1 to 63 characters from a-z, 0-9, "
                    + "'.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    private static Map<String, String> labels(Fields f, ObjectNode metadata) {
        JsonNode node = metadata == null ? null : metadata.get("labels");
        if (node == null) {
            return Map.of();
        }
        if (node.isNull()) {
            f.nothing("metadata.labels");
            return Map.of();
        }
        if (!node.isObject()) {
            f.problem("metadata.labels", "expected a mapping of names to strings, got " + Fields.describe(node));
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String v = f.text((ObjectNode) node, "metadata.labels", e.getKey());
            if (v != null) {
                labels.put(e.getKey(), v);
            }
        });
        return labels;
    }

    /** Whether a parent of {@code field} already has a problem (its children's rules would only repeat it). */
    private static boolean reportedAbove(Fields f, String field) {
        for (String p = YamlDocument.parent(field); !p.isEmpty() && !p.equals("spec"); p = YamlDocument.parent(p)) {
            String parent = p;
            if (f.problems().stream().anyMatch(d -> parent.equals(d.field()))) {
                return true;
            }
        }
        return false;
    }
}
