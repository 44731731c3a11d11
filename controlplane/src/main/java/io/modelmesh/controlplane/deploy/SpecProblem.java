package io.modelmesh.controlplane.deploy;

/**
 * One thing wrong with a deployment spec.
 *
 * @param field   path of the field inside the spec, in manifest spelling ({@code canary.steps[2]}); the manifest
 *                layer prefixes {@code spec.} and finds its line
 * @param message what is wrong and what is expected
 */
public record SpecProblem(String field, String message) {
    @Override
    public String toString() {
        return "spec." + field + ": " + message;
    }
}
