package io.modelmesh.controlplane.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.ErrorDetail;

import java.util.List;
import java.util.Map;

/**
 * One YAML document of a manifest file: its tree, and where each field starts.
 *
 * @param file       the file it came from (for error details)
 * @param tree       the document's value (a mapping for a manifest)
 * @param start      where the document's value starts
 * @param positions  field path ({@code spec.canary.steps[2]}) to the position of its key (or list item)
 * @param duplicates paths of keys written twice in one mapping (YAML forbids it; the later value was kept)
 */
public record YamlDocument(String file, JsonNode tree, Position start, Map<String, Position> positions,
                           List<String> duplicates) {
    public YamlDocument {
        positions = Map.copyOf(positions);
        duplicates = List.copyOf(duplicates);
    }

    /** Where {@code path} is written, or its closest written ancestor (an absent field points at its parent). */
    public Position locate(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Position at = positions.get(p);
            if (at != null) {
                return at;
            }
            p = parent(p);
        }
        return start;
    }

    /** A problem at {@code path} (located as {@link #locate} does; the empty path is the whole document). */
    public ErrorDetail detail(String path, String message) {
        Position at = locate(path);
        return new ErrorDetail(file, at.line(), at.column(), path.isEmpty() ? null : path, message);
    }

    /** {@code spec.canary.steps[2]} → {@code spec.canary.steps} → {@code spec.canary} → {@code spec} → "". */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
