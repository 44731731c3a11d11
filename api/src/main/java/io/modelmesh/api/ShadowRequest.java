package io.modelmesh.api;

/** {@code POST /deployments/shadow}: mirror {@code percent} % (default 100) of the model's requests to {@code version}. */
public record ShadowRequest(String model, String version, Integer percent) {
}
