package io.modelmesh.engine.validate;

import io.modelmesh.api.ModelSchema;

/**
 * A child's answer, one JSON line on its stdout after {@link #MARKER} (native libraries may print to stdout too; only
 * the marked line counts).
 *
 * @param ok     true when the artifact loaded, warmed up and has {@code schema}
 * @param schema the model's schema when ok
 * @param error  why it was refused when not ok
 */
record ChildAnswer(boolean ok, ModelSchema schema, String error) {
    static final String MARKER = "@@modelmesh-validation@@ ";
    /** Printed once the child has started and is waiting for its job. */
    static final String READY = MARKER + "ready";
}
