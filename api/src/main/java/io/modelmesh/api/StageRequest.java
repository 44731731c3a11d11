package io.modelmesh.api;

/** {@code PUT /models/{model}/versions/{version}/stage}: set the version's stage. */
public record StageRequest(Stage stage) {
}
