package io.modelmesh.api;

/** {@code PUT /models/{model}/aliases/{alias}}: point the alias at {@code version} (a version, or another alias). */
public record AliasRequest(String version) {
}
