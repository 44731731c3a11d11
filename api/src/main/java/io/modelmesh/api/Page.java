package io.modelmesh.api;

import java.util.List;

/** A page of results; {@code page} is 0-based. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
