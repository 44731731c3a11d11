package io.modelmesh.api;

/** One manifest file sent to {@code POST /manifests/apply}: its name (for error messages) and its YAML text. */
public record ManifestFile(String name, String content) {
}
