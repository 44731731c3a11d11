package io.modelmesh.cli.output;

import java.util.List;

/**
 * Preformatted lines, printed as they are (for results that read as a log rather than a table, like {@code apply}).
 * Values are strings or {@link Cell}s; a blank line separates it from the next block.
 */
public record Lines(List<Object> lines) implements Block {
    public Lines {
        lines = List.copyOf(lines);
    }
}
