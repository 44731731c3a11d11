package io.modelmesh.api;

/** {@code POST /deployments}: roll {@code version} of {@code model} out to 100 % of traffic. */
public record DeployRequest(String model, String version) {
}
