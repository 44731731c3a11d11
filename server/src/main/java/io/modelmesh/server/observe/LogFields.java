package io.modelmesh.server.observe;

import java.util.function.BiConsumer;

/**
 * Structured fields of a log record, passed as its only parameter: the JSON formatter writes them as top-level members
 * of the line, the text formatter as {@code name=value} pairs after the message. Values are strings, numbers or
 * booleans; null values are left out.
 */
public interface LogFields {
    void forEach(BiConsumer<String, Object> field);
}
