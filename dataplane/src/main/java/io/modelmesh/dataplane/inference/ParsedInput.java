package io.modelmesh.dataplane.inference;

import io.modelmesh.engine.FloatBatch;

/**
 * Rows read from a request.
 *
 * @param batch  the rows
 * @param single true when the request carried one row under {@code inputs} (the answer then carries that row's
 *               outputs, not a list)
 */
public record ParsedInput(FloatBatch batch, boolean single) {
}
