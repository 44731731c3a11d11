package io.modelmesh.api;

/**
 * One precise problem inside a request, e.g. a manifest field: where it is and what to fix.
 *
 * @param file    the file it is in, or null
 * @param line    1-based line, or null
 * @param column  1-based column, or null
 * @param field   the field's path ({@code spec.canary.steps[2]}), or null
 * @param message what is wrong and what is expected
 */
public record ErrorDetail(String file, Integer line, Integer column, String field, String message) {
}
